using System.Net;
using System.Net.Sockets;
using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Proxy.Upstream;

/// <summary>One <c>upstream_hosts</c> entry compiled: names matching <paramref name="Pattern"/> go to
/// <paramref name="Address"/> (and <paramref name="Port"/> when set) instead of a DNS answer.</summary>
public sealed record UpstreamMapping(HostPattern Pattern, IPAddress Address, int? Port);

/// <summary>
/// Opens upstream TCP connections for the forwarder (its <c>ConnectCallback</c>). Names resolve through the
/// static map first (additions.md); with map-only mode a miss is refused without any lookup. Names resolved by
/// DNS may not lead to loopback, link-local or the proxy's own addresses (SEC-34). Only ever called for a request
/// that passed every check, so a blocked request causes no lookup and no connection (SEC-35).
/// </summary>
public sealed class UpstreamConnector
{
    private readonly IReadOnlyList<UpstreamMapping> _map;
    private readonly bool _mapOnly;
    private readonly IReadOnlySet<IPAddress> _ownAddresses;

    /// <summary>Creates the connector.</summary>
    public UpstreamConnector(IReadOnlyList<UpstreamMapping> map, bool mapOnly, IReadOnlySet<IPAddress> ownAddresses)
    {
        _map = map;
        _mapOnly = mapOnly;
        _ownAddresses = ownAddresses;
    }

    /// <summary>Where a host's connection goes: the mapped or resolved addresses, and the port.</summary>
    public async ValueTask<(IReadOnlyList<IPAddress> Addresses, int Port)> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        var bare = host.Trim('[', ']');
        foreach (var mapping in _map)
        {
            if (mapping.Pattern.IsMatch(bare))
            {
                return ([mapping.Address], mapping.Port ?? port);
            }
        }

        if (_mapOnly)
        {
            throw new UpstreamRefusedException("not in upstream_hosts");
        }

        IPAddress[] candidates;
        if (IPAddress.TryParse(bare, out var literal))
        {
            candidates = [literal];
        }
        else
        {
            try
            {
                candidates = await System.Net.Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new UpstreamRefusedException($"name resolution failed ({ex.SocketErrorCode})");
            }
        }

        var usable = candidates.Where(a => !UpstreamAddressRules.IsNeverReachable(a, _ownAddresses)).ToArray();
        if (usable.Length == 0)
        {
            throw new UpstreamRefusedException("resolves only to addresses the proxy must not reach (loopback, link-local or its own)");
        }

        return (usable, port);
    }

    /// <summary>The <c>SocketsHttpHandler.ConnectCallback</c> (the handler's <c>ConnectTimeout</c> bounds it).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (addresses, port) = await ResolveAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                last = ex;
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new UpstreamRefusedException($"connection failed ({last?.SocketErrorCode.ToString() ?? "no address"})");
    }
}
