using System.Net;
using System.Net.Sockets;

namespace Airut.Sandbox.Core.Egress;

/// <summary>Validates the decision host handed to the policy (PX-4): a DNS-style name or an IP literal, without
/// port or brackets. Anything else (empty, a port, spaces, control or wildcard characters) is refused.</summary>
public static class DecisionHost
{
    /// <summary>The longest accepted host: a 253-character name plus an optional trailing dot.</summary>
    public const int MaxLength = 254;

    /// <summary>Returns the host lower-cased (invariant culture), or null when it is not a valid host.</summary>
    public static string? Normalize(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > MaxLength)
        {
            return null;
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            return IsIPv6Literal(host) ? host.ToLowerInvariant() : null;
        }

        if (host[0] == '.' || host.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var c in host)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '.' && c != '_')
            {
                return null;
            }
        }

        return host.ToLowerInvariant();
    }

    // A colon is only legal inside an IPv6 literal; "name:port" and scoped addresses ("fe80::1%eth0") are refused.
    private static bool IsIPv6Literal(string host)
    {
        foreach (var c in host)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }

        return IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }
}
