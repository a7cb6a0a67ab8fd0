using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Proxy.Dns;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests.Dns;

/// <summary>The responder on real loopback sockets, driven by hand-built packets and by <c>dig</c>.</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class DnsResponderTests : IAsyncLifetime
{
    private const string ProxyIp = "10.199.7.100";
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly string directory = Directory.CreateTempSubdirectory("airut-dns-test-").FullName;
    private readonly RecordingLogger<DnsResponder> stdout = new();
    private NetworkLogWriter? log;
    private DnsResponder? responder;

    private string LogPath => Path.Combine(directory, "network-sandbox.log");

    private DnsResponder Responder => responder ?? throw new InvalidOperationException("not started");

    public Task InitializeAsync() => StartAsync(new DnsResponderOptions
    {
        ProxyAddress = IPAddress.Parse(ProxyIp),
        ListenAddress = IPAddress.Loopback,
        Port = 0,
        MaxTcpConnections = 2,
        TcpIdleTimeout = TimeSpan.FromSeconds(2),
    });

    public async Task DisposeAsync()
    {
        if (responder is not null)
        {
            await responder.DisposeAsync();
        }

        log?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    [Trait("Spec", "DNS-1")]
    public void DNS_1_udp_and_tcp_listen_on_the_same_port()
    {
        Assert.Equal(Responder.UdpEndPoint.Port, Responder.TcpEndPoint.Port);
        Assert.NotEqual(0, Responder.UdpEndPoint.Port);
    }

    [Fact]
    [Trait("Spec", "DNS-8")]
    [Trait("Spec", "DNS-4")]
    public async Task DNS_8_start_up_and_errors_go_to_stdout_and_queries_do_not()
    {
        using var client = NewUdpClient();

        await ExchangeUdpAsync(client, DnsPackets.RawQuestion(5, 0xC0, 0x0C, 0, 1, 0, 1));
        await ExchangeUdpAsync(client, DnsPackets.Query(6, DnsPackets.TypeA, "quiet", "test"));

        Assert.Equal(
            [
                $"[dns] listening on 127.0.0.1:{Responder.UdpEndPoint.Port} (udp, tcp)",
                $"[dns] responding with {ProxyIp} for all A queries (proxy enforces allowlist)",
                "[dns] error: compression pointers not supported",
            ],
            stdout.Messages);
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public async Task RES_06_a_flood_of_malformed_queries_prints_a_bounded_number_of_error_lines()
    {
        await Responder.DisposeAsync();
        log?.Dispose();
        var clock = new ManualTimeProvider();
        var flooded = new RecordingLogger<DnsResponder>();
        log = new NetworkLogWriter(new NetworkLogWriterOptions { Path = LogPath });
        responder = new DnsResponder(
            new DnsResponderOptions { ProxyAddress = IPAddress.Parse(ProxyIp), ListenAddress = IPAddress.Loopback, Port = 0 },
            log,
            flooded,
            clock);
        responder.Start();
        using var client = NewUdpClient();

        for (ushort id = 1; id <= 25; id++)
        {
            var formErr = await ExchangeUdpAsync(client, DnsPackets.RawQuestion(id, 0xC0, 0x0C, 0, 1, 0, 1));
            Assert.Equal(1, DnsPackets.Rcode(formErr));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        await ExchangeUdpAsync(client, DnsPackets.RawQuestion(26, 0xC0, 0x0C, 0, 1, 0, 1));

        var errors = flooded.Messages.Where(m => m.StartsWith("[dns] error:", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, errors.Count);
        Assert.Equal("[dns] error: 15 more errors were not printed (error lines are rate-limited)", errors[10]);
        Assert.Equal("[dns] error: compression pointers not supported", errors[11]);
    }

    [Fact]
    public async Task Disposing_twice_is_harmless_and_frees_the_port()
    {
        var port = Responder.UdpEndPoint.Port;
        await Responder.DisposeAsync();
        await Responder.DisposeAsync();

        using var rebound = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(port, ((IPEndPoint)rebound.Client.LocalEndPoint!).Port);
    }

    [Fact]
    [Trait("Spec", "DNS-5")]
    [Trait("Spec", "DNS-01")]
    public async Task DNS_5_udp_a_query_is_answered_with_the_proxy_ip_and_logged()
    {
        using var client = NewUdpClient();

        var reply = await ExchangeUdpAsync(client, DnsPackets.Query(0x0101, DnsPackets.TypeA, "4f6b", "c1", "exfil", "test"));

        Assert.Equal(0x0101, DnsPackets.Id(reply));
        Assert.Equal(0x8180, DnsPackets.Flags(reply));
        Assert.Equal([10, 199, 7, 100], reply[^4..]);
        Assert.Equal(60u, BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(reply.Length - 10)));
        Assert.Equal([$"DNS A 4f6b.c1.exfil.test -> {ProxyIp}"], LogLines());
    }

    [Fact]
    [Trait("Spec", "DNS-4")]
    [Trait("Spec", "SEC-23")]
    public async Task DNS_4_short_packets_and_responses_get_no_reply_and_serving_goes_on()
    {
        using var client = NewUdpClient();

        await client.SendAsync(new byte[] { 1, 2, 3 });
        await client.SendAsync(DnsPackets.Query(0x0BAD, DnsPackets.TypeA, DnsPackets.ClassIn, 0x8180, "loop", "test"));
        var reply = await ExchangeUdpAsync(client, DnsPackets.Query(0x600D, DnsPackets.TypeA, "ok", "test"));

        // Datagrams are answered in order, so a reply to either bad packet would have arrived first.
        Assert.Equal(0x600D, DnsPackets.Id(reply));
        Assert.Equal([$"DNS A ok.test -> {ProxyIp}"], LogLines());
    }

    [Fact]
    [Trait("Spec", "SEC-23")]
    [Trait("Spec", "DNS-9")]
    public async Task SEC_23_a_pointer_loop_gets_formerr_and_the_next_query_is_answered()
    {
        using var client = NewUdpClient();

        var formErr = await ExchangeUdpAsync(client, DnsPackets.RawQuestion(0x1001, 0xC0, 0x0C, 0, 1, 0, 1));
        var truncated = await ExchangeUdpAsync(client, DnsPackets.RawQuestion(0x1002, 9, (byte)'a'));
        var reply = await ExchangeUdpAsync(client, DnsPackets.Query(0x1003, DnsPackets.TypeA, "after", "test"));

        Assert.Equal((0x1001, 1), (DnsPackets.Id(formErr), DnsPackets.Rcode(formErr)));
        Assert.Equal((0x1002, 1), (DnsPackets.Id(truncated), DnsPackets.Rcode(truncated)));
        Assert.Equal(0x1003, DnsPackets.Id(reply));
        Assert.Equal([$"DNS A after.test -> {ProxyIp}"], LogLines());
    }

    [Fact]
    [Trait("Spec", "SEC-23")]
    public async Task SEC_23_random_garbage_does_not_stop_the_responder()
    {
        using var client = NewUdpClient();
        var random = new Random(12345);
        for (var i = 0; i < 300; i++)
        {
            var garbage = new byte[random.Next(0, 600)];
            random.NextBytes(garbage);
            if (i % 3 != 0 && garbage.Length > 2)
            {
                garbage[2] |= 0x80; // QR set: a response, dropped
            }

            await client.SendAsync(garbage);
        }

        // UDP may drop the probe while the socket buffer is still full of garbage, so it is sent again until answered.
        byte[]? reply = null;
        for (var attempt = 0; attempt < 5 && reply is null; attempt++)
        {
            try
            {
                reply = await ExchangeUdpAsync(client, DnsPackets.Query(0x7777, DnsPackets.TypeA, "alive", "test"), skipOtherIds: true);
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.NotNull(reply);
        Assert.Contains($"DNS A alive.test -> {ProxyIp}", LogLines());
    }

    [Fact]
    [Trait("Spec", "DNS-9")]
    [Trait("Spec", "SEC-21")]
    public async Task DNS_9_names_with_newlines_and_odd_bytes_are_answered_and_logged_escaped()
    {
        using var client = NewUdpClient();

        await ExchangeUdpAsync(client, DnsPackets.Query(1, DnsPackets.TypeA, "x\nBLOCKED GET http://evil", "\u0000\u00ff.\\", "test"));

        var text = await File.ReadAllTextAsync(LogPath);
        Assert.Equal($"DNS A x\\x0aBLOCKED\\x20GET\\x20http://evil.\\x00\\xff\\x2e\\x5c.test -> {ProxyIp}\n", text);
    }

    [Fact]
    [Trait("Spec", "DNS-1")]
    public async Task DNS_1_tcp_serves_several_framed_queries_on_one_connection()
    {
        using var tcp = await ConnectTcpAsync();
        var stream = tcp.GetStream();

        await WriteFramedAsync(stream, DnsPackets.Query(0x2001, DnsPackets.TypeA, "one", "test"));
        await WriteFramedAsync(stream, DnsPackets.Query(0x2002, 16, "two", "test"));
        var first = await ReadFramedAsync(stream);
        var second = await ReadFramedAsync(stream);

        Assert.Equal((0x2001, 0x8180), (DnsPackets.Id(first), DnsPackets.Flags(first)));
        Assert.Equal((0x2002, 0x8184), (DnsPackets.Id(second), DnsPackets.Flags(second)));
        Assert.Equal([$"DNS A one.test -> {ProxyIp}", "DNS TXT two.test -> NOTIMP"], LogLines());
    }

    [Fact]
    [Trait("Spec", "SEC-23")]
    public async Task SEC_23_tcp_message_shorter_than_a_header_closes_the_connection()
    {
        using var tcp = await ConnectTcpAsync();
        var stream = tcp.GetStream();

        await stream.WriteAsync(new byte[] { 0, 3, 1, 2, 3 });

        Assert.Equal(0, await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(ReplyTimeout));
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public async Task RES_06_idle_tcp_connections_are_closed()
    {
        using var tcp = await ConnectTcpAsync();
        var stream = tcp.GetStream();

        await stream.WriteAsync(new byte[] { 0, 40, 1 }); // promises 40 bytes, sends 1, then stalls

        Assert.Equal(0, await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(ReplyTimeout));
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public async Task RES_06_tcp_connections_beyond_the_limit_are_closed_and_held_ones_still_work()
    {
        using var first = await ConnectTcpAsync();
        using var second = await ConnectTcpAsync();
        await ExchangeTcpAsync(first.GetStream(), 1);
        await ExchangeTcpAsync(second.GetStream(), 2);

        using var third = await ConnectTcpAsync();
        var closed = await third.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(ReplyTimeout);

        Assert.Equal(0, closed);
        Assert.Equal(3, DnsPackets.Id(await ExchangeTcpAsync(first.GetStream(), 3)));
    }

    [Fact]
    [Trait("Spec", "DNS-5")]
    [Trait("Spec", "SEC-22")]
    public async Task SEC_22_dig_gets_the_proxy_ip_for_any_name_with_ttl_60()
    {
        var output = await DigAsync("+noall", "+answer", "+comments", "does-not-exist.exfil.test", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Matches($@"does-not-exist\.exfil\.test\.\s+60\s+IN\s+A\s+{ProxyIp.Replace(".", "\\.", StringComparison.Ordinal)}", output);
        Assert.Equal([$"DNS A does-not-exist.exfil.test -> {ProxyIp}"], LogLines());
    }

    [Theory]
    [Trait("Spec", "DNS-6")]
    [Trait("Spec", "DNS-02")]
    [InlineData("AAAA")]
    [InlineData("TXT")]
    [InlineData("ANY")]
    [InlineData("MX")]
    public async Task DNS_02_dig_non_a_types_get_notimp_and_no_answer(string type)
    {
        var output = await DigAsync("+noall", "+answer", "+comments", "data.exfil.test", type);

        Assert.Contains("status: NOTIMP", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0", output, StringComparison.Ordinal);
        Assert.All(LogLines(), l => Assert.Equal($"DNS {type} data.exfil.test -> NOTIMP", l));
        Assert.NotEmpty(LogLines());
    }

    [Fact]
    [Trait("Spec", "DNS-02")]
    public async Task DNS_02_dig_chaos_class_version_query_gets_notimp()
    {
        var output = await DigAsync("+noall", "+comments", "-c", "CH", "version.bind", "TXT");

        Assert.Contains("status: NOTIMP", output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "DNS-04")]
    public async Task DNS_04_dig_over_tcp_gets_the_same_answers()
    {
        var a = await DigAsync("+tcp", "+noall", "+answer", "+comments", "tcp.exfil.test", "A");
        var txt = await DigAsync("+tcp", "+noall", "+comments", "x.exfil.test", "TXT");

        Assert.Contains("status: NOERROR", a, StringComparison.Ordinal);
        Assert.Matches(@"tcp\.exfil\.test\.\s+60\s+IN\s+A\s+10\.199\.7\.100", a);
        Assert.Contains("status: NOTIMP", txt, StringComparison.Ordinal);
        Assert.Contains($"DNS A tcp.exfil.test -> {ProxyIp}", LogLines());
        Assert.Contains("DNS TXT x.exfil.test -> NOTIMP", LogLines());
    }

    [Fact]
    [Trait("Spec", "DNS-9")]
    [Trait("Spec", "SEC-21")]
    public async Task SEC_21_dig_name_with_a_newline_cannot_forge_a_log_line()
    {
        var output = await DigAsync("+noall", "+answer", "+comments", @"a\010BLOCKED\032GET\032http://x.test", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Equal([$@"DNS A a\x0aBLOCKED\x20GET\x20http://x.test -> {ProxyIp}"], LogLines());
    }

    private async Task StartAsync(DnsResponderOptions options)
    {
        log = new NetworkLogWriter(new NetworkLogWriterOptions { Path = LogPath });
        responder = new DnsResponder(options, log, stdout);
        responder.Start();
        await Task.CompletedTask;
    }

    private string[] LogLines() => File.ReadAllLines(LogPath);

    private UdpClient NewUdpClient()
    {
        var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        client.Connect(Responder.UdpEndPoint);
        return client;
    }

    private static async Task<byte[]> ExchangeUdpAsync(UdpClient client, byte[] query, bool skipOtherIds = false)
    {
        await client.SendAsync(query);
        using var timeout = new CancellationTokenSource(skipOtherIds ? TimeSpan.FromSeconds(2) : ReplyTimeout);
        while (true)
        {
            UdpReceiveResult received;
            try
            {
                received = await client.ReceiveAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no DNS reply");
            }

            if (!skipOtherIds || DnsPackets.Id(received.Buffer) == DnsPackets.Id(query))
            {
                return received.Buffer;
            }
        }
    }

    private async Task<TcpClient> ConnectTcpAsync()
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(Responder.TcpEndPoint).WaitAsync(ReplyTimeout);
        return client;
    }

    private static async Task<byte[]> ExchangeTcpAsync(NetworkStream stream, ushort id)
    {
        await WriteFramedAsync(stream, DnsPackets.Query(id, DnsPackets.TypeA, "held", "test"));
        return await ReadFramedAsync(stream);
    }

    private static async Task WriteFramedAsync(NetworkStream stream, byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await stream.WriteAsync(framed);
    }

    private static async Task<byte[]> ReadFramedAsync(NetworkStream stream)
    {
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix).AsTask().WaitAsync(ReplyTimeout);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message).AsTask().WaitAsync(ReplyTimeout);
        return message;
    }

    private async Task<string> DigAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["@127.0.0.1", "-p", Responder.UdpEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+time=3", "+tries=1", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var dig = Process.Start(start)!;
        var output = dig.StandardOutput.ReadToEndAsync();
        var errors = dig.StandardError.ReadToEndAsync();
        try
        {
            await dig.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!dig.HasExited)
            {
                dig.Kill();
            }
        }

        Assert.True(dig.ExitCode == 0, $"dig exited {dig.ExitCode}: {await errors}");
        return await output;
    }
}
