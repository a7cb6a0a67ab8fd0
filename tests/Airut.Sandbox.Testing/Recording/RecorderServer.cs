using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Airut.Sandbox.Testing.Recording;

/// <summary>
/// A loopback upstream that records everything (attacks.md §0.2 "Recorder"): every accepted connection, every raw
/// byte received (after TLS), and every request its naive HTTP/1.1 parser finds, reading request after request on
/// one connection so that smuggled requests show up. TLS or plaintext is detected per connection from the first
/// byte (0x16), so one port stands in for a name on both schemes. Bound to 127.0.0.1 only.
/// </summary>
public sealed class RecorderServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly Func<RecordedRequest, RecorderResponse> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<int, MemoryStream> _raw = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _handshakeFailures;

    /// <summary>Starts a recorder on 127.0.0.1 with an ephemeral port.</summary>
    /// <param name="name">A name used in default response bodies.</param>
    /// <param name="certificate">The TLS server certificate (with key); null for plaintext only.</param>
    /// <param name="respond">Chooses the answer; default <see cref="RecorderResponse.Ok"/>.</param>
    public RecorderServer(string name, X509Certificate2? certificate = null, Func<RecordedRequest, RecorderResponse>? respond = null)
    {
        Name = name;
        _certificate = certificate;
        _respond = respond ?? (r => RecorderResponse.Ok(name, r.Target));
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The recorder's name.</summary>
    public string Name { get; }

    /// <summary>The bound port.</summary>
    public int Port { get; }

    /// <summary>TCP connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _accepted);

    /// <summary>TLS handshakes that failed (the client aborted, e.g. on an untrusted certificate).</summary>
    public int HandshakeFailures => Volatile.Read(ref _handshakeFailures);

    /// <summary>Requests parsed so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Every application byte received on every connection, concatenated in connection order.</summary>
    public byte[] AllBytes()
    {
        var all = new MemoryStream();
        foreach (var (_, stream) in _raw.OrderBy(p => p.Key))
        {
            lock (stream)
            {
                all.Write(stream.GetBuffer(), 0, (int)stream.Length);
            }
        }

        return all.ToArray();
    }

    /// <summary>Every received byte as Latin-1 text, for substring assertions.</summary>
    public string AllText() => Encoding.Latin1.GetString(AllBytes());

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var id = Interlocked.Increment(ref _accepted) - 1;
            lock (_gate)
            {
                _connections.Add(ServeAsync(client, id));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, int id)
    {
        using (client)
        {
            var raw = new MemoryStream();
            _raw[id] = raw;
            try
            {
                Stream stream = client.GetStream();
                var first = new byte[1];
                var peeked = await client.Client.ReceiveAsync(first, SocketFlags.Peek, _stop.Token);
                var tls = peeked == 1 && first[0] == 0x16 && _certificate is not null;
                if (tls)
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    try
                    {
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificate = _certificate,
                            ApplicationProtocols = [SslApplicationProtocol.Http11],
                        }, _stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                    {
                        Interlocked.Increment(ref _handshakeFailures);
                        await ssl.DisposeAsync();
                        return;
                    }

                    stream = ssl;
                }

                await using (stream)
                {
                    var reader = new RecordingReader(stream, raw);
                    await ServeRequestsAsync(reader, stream, id, tls);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer went away; what was received is recorded.
            }
        }
    }

    private async Task ServeRequestsAsync(RecordingReader reader, Stream stream, int id, bool tls)
    {
        while (true)
        {
            var requestLine = await reader.ReadLineAsync(_stop.Token);
            if (requestLine is null)
            {
                return;
            }

            if (requestLine.Length == 0)
            {
                continue;
            }

            var parts = requestLine.Split(' ');
            var headers = new List<KeyValuePair<string, string>>();
            string? line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add(colon < 0 ? new(line, string.Empty) : new(line[..colon], line[(colon + 1)..].Trim()));
            }

            var body = await ReadBodyAsync(reader, headers);
            var request = new RecordedRequest(id, tls, parts[0], parts.Length > 1 ? parts[1] : string.Empty, headers, body);
            _requests.Enqueue(request);
            var response = _respond(request);
            if (response.SwitchProtocols)
            {
                var accept = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(accept), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                await reader.EchoRestAsync(stream, _stop.Token);
                return;
            }

            var bodyBytes = Encoding.UTF8.GetBytes(response.Body);
            var head = new StringBuilder();
            head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} Recorded\r\n");
            foreach (var (name, value) in response.Headers ?? [])
            {
                head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }

            var noBody = request.Method == "HEAD" || response.Status is 204 or 304;
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {(noBody ? 0 : bodyBytes.Length)}\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
            if (!noBody)
            {
                await stream.WriteAsync(bodyBytes, _stop.Token);
            }

            await stream.FlushAsync(_stop.Token);
        }
    }

    private async Task<byte[]> ReadBodyAsync(RecordingReader reader, List<KeyValuePair<string, string>> headers)
    {
        var te = headers.FirstOrDefault(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).Value;
        if (te is not null && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await reader.ReadLineAsync(_stop.Token) ?? string.Empty;
                var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token)))
                    {
                    }

                    return body.ToArray();
                }

                body.Write(await reader.ReadExactAsync(size, _stop.Token));
                await reader.ReadLineAsync(_stop.Token);
            }
        }

        var cl = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        return cl is not null && int.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0
            ? await reader.ReadExactAsync(length, _stop.Token)
            : [];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    /// <summary>Reads from a stream, copying every byte into the raw record.</summary>
    private sealed class RecordingReader(Stream stream, MemoryStream raw)
    {
        private readonly byte[] _buffer = new byte[16384];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return line.Count == 0 ? null : Encoding.Latin1.GetString(line.ToArray());
                }

                var b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    if (line.Count > 0 && line[^1] == (byte)'\r')
                    {
                        line.RemoveAt(line.Count - 1);
                    }

                    return Encoding.Latin1.GetString(line.ToArray());
                }

                line.Add(b);
            }
        }

        public async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return result[..filled];
                }

                var n = Math.Min(count - filled, _end - _start);
                Array.Copy(_buffer, _start, result, filled, n);
                _start += n;
                filled += n;
            }

            return result;
        }

        public async Task EchoRestAsync(Stream output, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_start < _end)
                {
                    await output.WriteAsync(_buffer.AsMemory(_start, _end - _start), cancellationToken);
                    await output.FlushAsync(cancellationToken);
                    _start = _end;
                }

                if (!await FillAsync(cancellationToken))
                {
                    return;
                }
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            var read = await stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            lock (raw)
            {
                raw.Write(_buffer, 0, read);
            }

            _start = 0;
            _end = read;
            return true;
        }
    }
}
