using System.Net;
using System.Net.Sockets;

namespace Airut.Sandbox.Proxy.Upstream;

/// <summary>
/// Which upstream addresses a DNS answer may never lead the proxy to (SEC-34 hardened): loopback, link-local
/// (cloud metadata), unspecified, multicast and the proxy's own addresses. IP-literal hosts are stricter still
/// (<see cref="IpLiteralRule"/>).
/// </summary>
public static class UpstreamAddressRules
{
    /// <summary>True for addresses no DNS answer may lead the proxy to: loopback, link-local, unspecified,
    /// multicast, broadcast, or one of <paramref name="ownAddresses"/>.</summary>
    public static bool IsNeverReachable(IPAddress address, IReadOnlySet<IPAddress> ownAddresses)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(ownAddresses);
        var a = Canonical(address);
        if (ownAddresses.Contains(a) || IPAddress.IsLoopback(a) || a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)
            || a.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = a.GetAddressBytes();
            return b[0] == 0 || (b[0] == 169 && b[1] == 254) || b[0] >= 224;
        }

        return a.IsIPv6LinkLocal || a.IsIPv6Multicast || a.IsIPv6SiteLocal;
    }

    /// <summary>The address with IPv4-mapped IPv6 forms (<c>::ffff:127.0.0.1</c>) turned into IPv4 and no scope id.</summary>
    public static IPAddress Canonical(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return new IPAddress(address.GetAddressBytes());
        }

        return address;
    }
}
