namespace Airut.Sandbox.Core.Configuration;

/// <summary>What a <c>headers</c> item of a masked secret may contain: a header name or a glob over names.</summary>
internal static class HeaderPatternRule
{
    /// <summary>Null when <paramref name="pattern"/> can match a header name, otherwise why not.</summary>
    public static string? Check(string pattern)
    {
        foreach (var c in pattern)
        {
            if (c == ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"header name pattern '{pattern.Trim()}' contains ':', whitespace or a control character; " +
                    "write only the header name, like Authorization";
            }
        }

        return null;
    }
}
