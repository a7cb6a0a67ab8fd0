using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Airut.Sandbox.Abstractions.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Proxy.Dns;

/// <summary>
/// The proxy container's DNS server (network.md §3) on UDP and TCP (2-byte length framing). It answers every
/// query itself through <see cref="DnsQueryHandler"/> and never contacts another resolver. Malformed input is
/// reported on stdout as <c>[dns] error: ...</c> and serving goes on (DNS-4, SEC-23). UDP datagrams are handled
/// one at a time; TCP connections are capped at <see cref="DnsResponderOptions.MaxTcpConnections"/>, each with an
/// idle timeout, so a flood cannot grow the responder's memory without bound.
/// </summary>
public sealed partial class DnsResponder : IAsyncDisposable
{
    private const int MaxMessageLength = ushort.MaxValue;
    private const int PortBindAttempts = 20;

    private readonly DnsResponderOptions options;
    private readonly DnsQueryHandler handler;
    private readonly ILogger logger;
    private readonly DnsErrorThrottle errorThrottle;
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim tcpSlots;
    private readonly ConcurrentDictionary<Task, bool> tcpConnections = new();
    private Socket? udpSocket;
    private Socket? tcpSocket;
    private Task udpLoop = Task.CompletedTask;
    private Task acceptLoop = Task.CompletedTask;
    private int disposed;

    /// <summary>Creates a responder; <see cref="Start"/> binds it.</summary>
    /// <param name="options">Addresses, port and limits.</param>
    /// <param name="networkLog">The network log, or null when there is no log file (DNS-7).</param>
    /// <param name="logger">The responder's stdout (start-up lines and <c>[dns] error:</c> lines).</param>
    /// <param name="timeProvider">The clock that paces error lines; default the system clock.</param>
    public DnsResponder(
        DnsResponderOptions options,
        INetworkLog? networkLog,
        ILogger<DnsResponder>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxTcpConnections);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.TcpIdleTimeout, TimeSpan.Zero);
        this.options = options;
        handler = new DnsQueryHandler(options.ProxyAddress, options.TtlSeconds, networkLog);
        this.logger = logger ?? NullLogger<DnsResponder>.Instance;
        tcpSlots = new SemaphoreSlim(options.MaxTcpConnections, options.MaxTcpConnections);
        errorThrottle = new DnsErrorThrottle(options.MaxErrorLinesPerSecond, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The bound UDP endpoint, once started.</summary>
    public IPEndPoint UdpEndPoint => (IPEndPoint)(udpSocket ?? throw NotStarted()).LocalEndPoint!;

    /// <summary>The bound TCP endpoint, once started.</summary>
    public IPEndPoint TcpEndPoint => (IPEndPoint)(tcpSocket ?? throw NotStarted()).LocalEndPoint!;

    /// <summary>
    /// Binds UDP and TCP on the configured port and starts serving. With port 0 both get the same free port.
    /// </summary>
    /// <exception cref="SocketException">The port cannot be bound.</exception>
    public void Start()
    {
        if (udpSocket is not null)
        {
            throw new InvalidOperationException("The DNS responder is already started.");
        }

        (tcpSocket, udpSocket) = BindBoth();
        tcpSocket.Listen(options.MaxTcpConnections);
        LogListening(logger, options.ListenAddress, UdpEndPoint.Port);
        LogResponding(logger, options.ProxyAddress);
        udpLoop = Task.Run(() => ServeUdpAsync(udpSocket, stopping.Token));
        acceptLoop = Task.Run(() => AcceptTcpAsync(tcpSocket, stopping.Token));
    }

    /// <summary>Stops serving and closes every socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        udpSocket?.Dispose();
        tcpSocket?.Dispose();
        await Task.WhenAll(udpLoop, acceptLoop).ConfigureAwait(false);
        await Task.WhenAll(tcpConnections.Keys).ConfigureAwait(false);
        stopping.Dispose();
        tcpSlots.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("The DNS responder is not started.");

    private (Socket Tcp, Socket Udp) BindBoth()
    {
        for (var attempt = 1; ; attempt++)
        {
            var tcp = new Socket(options.ListenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var udp = new Socket(options.ListenAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                tcp.Bind(new IPEndPoint(options.ListenAddress, options.Port));
                udp.Bind(new IPEndPoint(options.ListenAddress, ((IPEndPoint)tcp.LocalEndPoint!).Port));
                return (tcp, udp);
            }
            catch (SocketException exception) when (options.Port == 0 && attempt < PortBindAttempts
                && exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                tcp.Dispose();
                udp.Dispose();
            }
            catch
            {
                tcp.Dispose();
                udp.Dispose();
                throw;
            }
        }
    }

    private async Task ServeUdpAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageLength];
        var anyRemote = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anyRemote, cancellationToken)
                    .ConfigureAwait(false);
                var reply = Answer(buffer.AsSpan(0, received.ReceivedBytes));
                if (reply is not null)
                {
                    await socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // An ICMP error for an earlier reply, a peer gone, or a bug on one hostile datagram: that datagram
                // is lost, serving goes on (DNS-4).
                ReportError(exception.Message);
            }
        }
    }

    private async Task AcceptTcpAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception)
            {
                ReportError(exception.Message);
                continue;
            }

            if (!tcpSlots.Wait(0, CancellationToken.None))
            {
                ReportError("too many TCP connections; closing a new one");
                client.Dispose();
                continue;
            }

            var connection = ServeTcpAsync(client, cancellationToken);
            tcpConnections.TryAdd(connection, true);
            _ = connection.ContinueWith(
                finished => tcpConnections.TryRemove(finished, out _),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeTcpAsync(Socket client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            using var stream = new NetworkStream(client, ownsSocket: true);
            var prefix = new byte[2];
            var message = new byte[MaxMessageLength];
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(options.TcpIdleTimeout);
                if (await stream.ReadAtLeastAsync(prefix, 2, throwOnEndOfStream: false, idle.Token).ConfigureAwait(false) < 2)
                {
                    return;
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                await stream.ReadExactlyAsync(message.AsMemory(0, length), idle.Token).ConfigureAwait(false);
                var reply = Answer(message.AsSpan(0, length));
                if (reply is null)
                {
                    return;
                }

                var framed = new byte[2 + reply.Length];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                reply.CopyTo(framed, 2);
                await stream.WriteAsync(framed, idle.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
        {
            // Idle timeout, shutdown, a peer that closed mid-message or reset: the connection just ends.
        }
        finally
        {
            tcpSlots.Release();
        }
    }

    private byte[]? Answer(ReadOnlySpan<byte> message)
    {
        var reply = handler.Handle(message, out var error);
        if (error is not null)
        {
            ReportError(error);
        }

        return reply;
    }

    private void ReportError(string error)
    {
        if (!errorThrottle.ShouldReport(out var suppressed))
        {
            return;
        }

        if (suppressed > 0)
        {
            LogSuppressed(logger, suppressed);
        }

        LogError(logger, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[dns] listening on {Address}:{Port} (udp, tcp)")]
    private static partial void LogListening(ILogger logger, IPAddress address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "[dns] responding with {ProxyAddress} for all A queries (proxy enforces allowlist)")]
    private static partial void LogResponding(ILogger logger, IPAddress proxyAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[dns] error: {Error}")]
    private static partial void LogError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[dns] error: {Count} more errors were not printed (error lines are rate-limited)")]
    private static partial void LogSuppressed(ILogger logger, int count);
}
