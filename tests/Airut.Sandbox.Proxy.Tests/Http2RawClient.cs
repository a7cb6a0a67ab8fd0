using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>
/// Hand-built HTTP/2 for inputs a conforming client refuses to send (attacks.md H2-02, SMUG-01): header blocks of
/// HPACK literals (no Huffman, no indexing) taken verbatim, so names and values may hold anything.
/// </summary>
public static class Http2RawClient
{
    /// <summary>What came back: every frame type seen, the first response header block byte, and whether the peer reset.</summary>
    public sealed record Outcome(IReadOnlyList<byte> FrameTypes, byte? FirstHeaderByte)
    {
        /// <summary>RST_STREAM or GOAWAY was received, or the connection was closed without a response.</summary>
        public bool Refused => FrameTypes.Contains((byte)3) || FrameTypes.Contains((byte)7) || FirstHeaderByte is null;

        /// <summary>The response status was 200 (HPACK static index 8).</summary>
        public bool Ok => FirstHeaderByte == 0x88;
    }

    /// <summary>Opens TLS with ALPN h2 to the proxy, sends one request and reads frames for a moment.</summary>
    public static async Task<Outcome> SendAsync(ProxyHarness harness, IReadOnlyList<(string Name, string Value)> headers, byte[]? data = null, string sni = "allowed.test")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, harness.HttpsPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, errors) => harness.ChainsToCa(certificate, errors, requireName: true));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        });
        Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);

        var output = new MemoryStream();
        output.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(output, 4, 0, 0, []);
        var block = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            block.WriteByte(0x00);
            WriteString(block, name);
            WriteString(block, value);
        }

        WriteFrame(output, 1, (byte)(0x4 | (data is null ? 0x1 : 0)), 1, block.ToArray());
        if (data is not null)
        {
            WriteFrame(output, 0, 0x1, 1, data);
        }

        await tls.WriteAsync(output.ToArray());
        await tls.FlushAsync();

        var types = new List<byte>();
        byte? firstHeaderByte = null;
        var header = new byte[9];
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            while (true)
            {
                await tls.ReadExactlyAsync(header, quiet.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var payload = new byte[length];
                await tls.ReadExactlyAsync(payload, quiet.Token);
                types.Add(header[3]);
                var stream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF;
                if (header[3] == 1 && stream == 1 && firstHeaderByte is null && length > 0)
                {
                    var offset = (header[4] & 0x8) != 0 ? 1 : 0;
                    offset += (header[4] & 0x20) != 0 ? 5 : 0;
                    firstHeaderByte = payload[offset];
                }

                if (header[3] == 4 && (header[4] & 0x1) == 0)
                {
                    var ack = new MemoryStream();
                    WriteFrame(ack, 4, 0x1, 0, []);
                    await tls.WriteAsync(ack.ToArray(), quiet.Token);
                }

                if (header[3] is 3 or 7 || (stream == 1 && (header[4] & 0x1) != 0))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException)
        {
            // Quiet or closed: what arrived is the outcome.
        }

        return new Outcome(types, firstHeaderByte);
    }

    private static void WriteFrame(Stream output, byte type, byte flags, int stream, byte[] payload)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header[5..], stream);
        output.Write(header);
        output.Write(payload);
    }

    private static void WriteString(Stream output, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        WriteInteger(output, bytes.Length);
        output.Write(bytes);
    }

    // HPACK integer with a 7-bit prefix and the Huffman bit clear.
    private static void WriteInteger(Stream output, int value)
    {
        if (value < 127)
        {
            output.WriteByte((byte)value);
            return;
        }

        output.WriteByte(127);
        value -= 127;
        while (value >= 128)
        {
            output.WriteByte((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
