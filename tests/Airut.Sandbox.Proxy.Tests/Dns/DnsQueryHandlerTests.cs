using System.Net;
using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Proxy.Dns;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests.Dns;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DnsQueryHandlerTests
{
    private static readonly IPAddress ProxyIp = IPAddress.Parse("10.199.1.100");
    private readonly RecordingNetworkLog log = new();
    private readonly DnsQueryHandler handler;

    public DnsQueryHandlerTests() => handler = new DnsQueryHandler(ProxyIp, 60, log);

    [Fact]
    [Trait("Spec", "DNS-5")]
    public void DNS_5_a_query_gets_the_exact_answer_bytes()
    {
        var query = DnsPackets.Query(0x1234, DnsPackets.TypeA, "ExAmPle", "test");

        var reply = handler.Handle(query, out var error);

        Assert.Null(error);
        byte[] expected =
        [
            0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
            .. query[12..],
            0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 199, 1, 100,
        ];
        Assert.Equal(expected, reply);
        Assert.Equal([new NetworkLogLine("DNS A ExAmPle.test -> 10.199.1.100", false)], log.Lines);
    }

    [Fact]
    [Trait("Spec", "DNS-5")]
    public void DNS_5_flags_are_fixed_whatever_the_query_flags_and_edns_is_not_echoed()
    {
        var query = DnsPackets.Query(7, DnsPackets.TypeA, DnsPackets.ClassIn, 0x0000, "a", "test");
        query[11] = 1; // ARCOUNT 1, as with an EDNS OPT record
        byte[] withOpt = [.. query, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0];

        var reply = handler.Handle(withOpt, out _)!;

        Assert.Equal(0x8180, DnsPackets.Flags(reply));
        Assert.Equal((1, 1, 0, 0), DnsPackets.Counts(reply));
    }

    [Theory]
    [Trait("Spec", "DNS-6")]
    [Trait("Spec", "SEC-22")]
    [InlineData(28, "AAAA")]
    [InlineData(16, "TXT")]
    [InlineData(255, "ANY")]
    [InlineData(15, "MX")]
    [InlineData(65, "TYPE65")]
    [InlineData(10, "TYPE10")]
    public void DNS_6_other_types_get_notimp_with_the_question_and_no_answer(int type, string name)
    {
        var query = DnsPackets.Query(0xABCD, (ushort)type, "data", "exfil", "test");

        var reply = handler.Handle(query, out _)!;

        Assert.Equal([0xAB, 0xCD, 0x81, 0x84, 0, 1, 0, 0, 0, 0, 0, 0, .. query[12..]], reply);
        Assert.Equal($"DNS {name} data.exfil.test -> NOTIMP", Assert.Single(log.Lines).Text);
    }

    [Fact]
    [Trait("Spec", "DNS-02")]
    public void DNS_02_an_a_query_in_a_non_internet_class_gets_notimp()
    {
        var query = DnsPackets.Query(9, DnsPackets.TypeA, 3 /* CH */, 0x0100, "version", "bind");

        var reply = handler.Handle(query, out _)!;

        Assert.Equal(4, DnsPackets.Rcode(reply));
        Assert.Equal((1, 0, 0, 0), DnsPackets.Counts(reply));
        Assert.Equal("DNS A version.bind -> NOTIMP", Assert.Single(log.Lines).Text);
    }

    [Fact]
    [Trait("Spec", "DNS-9")]
    public void DNS_9_a_malformed_question_gets_formerr_echoing_id_opcode_and_rd_only()
    {
        var pointerLoop = DnsPackets.RawQuestion(0x4242, 0xC0, 0x0C, 0, 1, 0, 1);

        var reply = handler.Handle(pointerLoop, out var error);

        Assert.Equal("compression pointers not supported", error);
        Assert.Equal([0x42, 0x42, 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], reply);
        Assert.Empty(log.Lines);
    }

    [Fact]
    [Trait("Spec", "DNS-4")]
    public void DNS_4_short_packets_and_responses_get_no_reply()
    {
        Assert.Null(handler.Handle(new byte[5], out var shortError));
        Assert.Equal("packet too short", shortError);
        Assert.Null(handler.Handle(DnsPackets.Query(1, 1, 1, 0x8180, "a"), out _));
        Assert.Empty(log.Lines);
    }

    [Fact]
    [Trait("Spec", "DNS-7")]
    public void DNS_7_without_a_network_log_queries_are_still_answered()
    {
        var quiet = new DnsQueryHandler(ProxyIp, 60, networkLog: null);

        Assert.NotNull(quiet.Handle(DnsPackets.Query(1, 1, "a", "test"), out _));
    }

    [Fact]
    public void The_proxy_address_must_be_ipv4()
    {
        Assert.Throws<ArgumentException>(() => new DnsQueryHandler(IPAddress.IPv6Loopback, 60, null));
    }

    private sealed class RecordingNetworkLog : INetworkLog
    {
        public List<NetworkLogLine> Lines { get; } = [];

        public void Write(NetworkLogLine line) => Lines.Add(line);
    }
}
