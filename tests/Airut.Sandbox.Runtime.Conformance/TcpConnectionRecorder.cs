using System.Net;
using System.Net.Sockets;

namespace Airut.Sandbox.Runtime.Conformance;

/// <summary>
/// A host TCP listener on a random port that counts every connection it accepts: the recorder behind
/// "must not reach the host" assertions (attacks.md §0.1).
/// </summary>
public sealed class TcpConnectionRecorder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    /// <summary>Starts listening on <paramref name="address"/> (IPv6 addresses listen IPv6-only).</summary>
    public TcpConnectionRecorder(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _listener.Server.DualMode = false;
        }

        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
        }
    }
}
