namespace Airut.Sandbox.Core.Egress;

/// <summary>Method checks that hold whatever the allowlist says: the token must be a valid RFC 9110 token of
/// reasonable length (METH-01), and methods that echo the request back (TRACE, TRACK, DEBUG) or open tunnels
/// (CONNECT) are refused on every host (METH-03, PX-12).</summary>
public static class HttpMethodRules
{
    /// <summary>The longest method token accepted. Registered methods are far shorter.</summary>
    public const int MaxLength = 32;

    private static readonly string[] Refused = ["TRACE", "TRACK", "DEBUG", "CONNECT"];

    /// <summary>True when the method is a non-empty token of at most <see cref="MaxLength"/> tchar characters.</summary>
    public static bool IsValidToken(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Length == 0 || method.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in method)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for methods refused on every host, in any case.</summary>
    public static bool IsAlwaysRefused(string method)
    {
        foreach (var refused in Refused)
        {
            if (string.Equals(method, refused, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
