namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// The boolean spellings of CFG-40: a native YAML boolean, or text that trimmed and lower-cased is one of
/// <c>true|1|yes|on</c> or <c>false|0|no|off</c>. Used for <c>network_sandbox</c> and, per CFG-25 [DEV],
/// for <c>allow_foreign_credentials</c> and <c>upstream_hosts_only</c>.
/// </summary>
internal static class BooleanTokens
{
    /// <summary>The value <paramref name="text"/> stands for, or null when it is not a boolean spelling.</summary>
    public static bool? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => null,
    };
}
