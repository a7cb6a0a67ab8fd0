using System.Net;

namespace Airut.Sandbox.Proxy.Dns;

/// <summary>Settings of the DNS responder.</summary>
public sealed record DnsResponderOptions
{
    /// <summary>The address every A query is answered with: the proxy's own IPv4 address (DNS-2).</summary>
    public required IPAddress ProxyAddress { get; init; }

    /// <summary>Where to listen; default all IPv4 interfaces (DNS-1).</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Any;

    /// <summary>The UDP and TCP port; default 53. Zero picks a free port for each (tests).</summary>
    public int Port { get; init; } = 53;

    /// <summary>The TTL of every A answer, in seconds; 60 (DNS-5).</summary>
    public uint TtlSeconds { get; init; } = 60;

    /// <summary>TCP connections served at once; further connections are closed at once.</summary>
    public int MaxTcpConnections { get; init; } = 64;

    /// <summary>At most this many <c>[dns] error:</c> lines per second reach stdout; the rest are counted.</summary>
    public int MaxErrorLinesPerSecond { get; init; } = 10;

    /// <summary>A TCP connection that sends no complete query for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
