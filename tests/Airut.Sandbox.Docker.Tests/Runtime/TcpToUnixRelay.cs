using System.Net;
using System.Net.Sockets;

namespace Airut.Sandbox.Docker.Tests.Runtime;

/// <summary>Listens on 127.0.0.1 and pipes each connection to a unix socket, both ways.</summary>
internal sealed class TcpToUnixRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _socketPath;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public TcpToUnixRelay(string socketPath)
    {
        _socketPath = socketPath;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = PipeAsync(client);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), _stop.Token);
                await using var daemon = new NetworkStream(upstream, ownsSocket: false);
                var local = client.GetStream();
                await Task.WhenAny(local.CopyToAsync(daemon, _stop.Token), daemon.CopyToAsync(local, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
        }
    }
}
