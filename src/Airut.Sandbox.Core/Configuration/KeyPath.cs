namespace Airut.Sandbox.Core.Configuration;

/// <summary>Builds the dotted key paths used in messages: <c>masked_secrets.GH_TOKEN.scopes</c>, <c>url_prefixes[2].host</c>.</summary>
internal static class KeyPath
{
    /// <summary>The path of key <paramref name="key"/> under <paramref name="parent"/> (null for the document root).</summary>
    public static string Child(string? parent, string key) => parent is null ? key : parent + "." + key;

    /// <summary>The path of item <paramref name="index"/> (0-based) of the list at <paramref name="parent"/>.</summary>
    public static string Item(string? parent, int index) => $"{parent}[{index}]";
}
