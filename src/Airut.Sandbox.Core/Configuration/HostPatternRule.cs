using System.Net;
using System.Net.Sockets;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// What a host pattern may contain (AL-13 [H]): the decision host never carries a scheme, port or path, so a
/// pattern with one could never match (AL-20) and is refused instead of silently blocking.
/// Used for <c>domains</c>, <c>url_prefixes[].host</c>, secret and signing <c>scopes</c> and <c>upstream_hosts</c>.
/// </summary>
internal static class HostPatternRule
{
    /// <summary>Null when <paramref name="pattern"/> is acceptable, otherwise what is wrong and how to fix it.</summary>
    public static string? Check(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "a host pattern must not be empty";
        }

        if (pattern.Contains("://", StringComparison.Ordinal))
        {
            return $"host pattern '{pattern}' contains a scheme; write only the host name (the allowlist is scheme-agnostic)";
        }

        if (pattern.Contains('/', StringComparison.Ordinal))
        {
            return $"host pattern '{pattern}' contains '/'; write only the host name and put paths in url_prefixes[].path";
        }

        foreach (var c in pattern)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"host pattern '{pattern.Trim()}' contains whitespace or a control character";
            }
        }

        if (pattern.Contains(':', StringComparison.Ordinal) && !IsIPv6Pattern(pattern))
        {
            return $"host pattern '{pattern}' contains a port; remove it (the allowlist is port-agnostic, so it could never match)";
        }

        return null;
    }

    /// <summary>An IPv6 address, possibly with glob wildcards (<c>fd00::*</c>): hex digits, ':', '.', '*' and '?' only,
    /// at least two colons, no brackets and no zone.</summary>
    private static bool IsIPv6Pattern(string pattern) =>
        pattern.Count(c => c == ':') >= 2
        && pattern.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.' or '*' or '?')
        && (pattern.Contains('*', StringComparison.Ordinal) || pattern.Contains('?', StringComparison.Ordinal)
            || (IPAddress.TryParse(pattern, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6));
}
