using System.Text;
using Airut.Sandbox.Proxy.Dns;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests.Dns;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DnsQueryParserTests
{
    [Fact]
    [Trait("Spec", "DNS-3")]
    public void DNS_3_parses_id_labels_type_class_and_keeps_the_question_bytes()
    {
        var packet = DnsPackets.Query(0xBEEF, 28, "Api", "GitHub", "com");

        Assert.True(DnsQueryParser.TryParse(packet, out var question, out var error));

        Assert.Null(error);
        Assert.Equal(0xBEEF, question.Id);
        Assert.Equal(["Api", "GitHub", "com"], question.Labels.Select(l => Encoding.ASCII.GetString(l.Span)));
        Assert.Equal(28, question.QueryType);
        Assert.Equal(1, question.QueryClass);
        Assert.Equal(packet[12..], question.QuestionSection.ToArray());
    }

    [Fact]
    [Trait("Spec", "DNS-3")]
    public void DNS_3_root_name_has_no_labels()
    {
        Assert.True(DnsQueryParser.TryParse(DnsPackets.Query(1, 2), out var question, out _));

        Assert.Empty(question.Labels);
    }

    [Fact]
    [Trait("Spec", "DNS-3")]
    public void DNS_3_parsed_question_does_not_alias_the_receive_buffer()
    {
        var packet = DnsPackets.Query(1, 1, "abc", "test");
        Assert.True(DnsQueryParser.TryParse(packet, out var question, out _));

        Array.Fill(packet, (byte)'z');

        Assert.Equal("abc", Encoding.ASCII.GetString(question.Labels[0].Span));
    }

    [Theory]
    [Trait("Spec", "DNS-3")]
    [Trait("Spec", "SEC-23")]
    [InlineData(new byte[] { }, "packet too short")]
    [InlineData(new byte[] { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0 }, "packet too short")]
    public void DNS_3_packets_shorter_than_the_header_are_rejected(byte[] packet, string expected)
    {
        Assert.False(DnsQueryParser.TryParse(packet, out _, out var error));
        Assert.Equal(expected, error);
    }

    public static TheoryData<byte[], string> MalformedQuestions => new()
    {
        { DnsPackets.RawQuestion(1, 0xC0, 0x0C, 0, 1, 0, 1), "compression pointers not supported" },
        { DnsPackets.RawQuestion(1, 3, (byte)'a', (byte)'b', (byte)'c', 0xC0, 0x0C, 0, 1, 0, 1), "compression pointers not supported" },
        { DnsPackets.RawQuestion(1, 0xFF), "compression pointers not supported" },
        { DnsPackets.RawQuestion(1, 0x40, 1, 2), "unsupported label type" },
        { DnsPackets.RawQuestion(1, 0x80, 1, 2), "unsupported label type" },
        { DnsPackets.RawQuestion(1), "truncated question" },
        { DnsPackets.RawQuestion(1, 5, (byte)'a', (byte)'b'), "truncated question" },
        { DnsPackets.RawQuestion(1, 1, (byte)'a'), "truncated question" },
        { DnsPackets.RawQuestion(1, 1, (byte)'a', 0, 0, 1, 0), "truncated question" },
        { DnsPackets.RawQuestion(1, 0), "truncated question" },
    };

    [Theory]
    [Trait("Spec", "DNS-3")]
    [Trait("Spec", "SEC-23")]
    [MemberData(nameof(MalformedQuestions))]
    public void DNS_3_malformed_questions_are_rejected_with_their_reason(byte[] packet, string expected)
    {
        Assert.False(DnsQueryParser.TryParse(packet, out var question, out var error));
        Assert.Null(question);
        Assert.Equal(expected, error);
    }

    [Fact]
    [Trait("Spec", "SEC-23")]
    public void SEC_23_names_longer_than_255_octets_are_rejected()
    {
        var labels = Enumerable.Repeat(new string('a', 63), 4).ToArray();

        Assert.False(DnsQueryParser.TryParse(DnsPackets.Query(1, 1, labels), out _, out var error));
        Assert.Equal("name too long", error);
        Assert.True(DnsQueryParser.TryParse(DnsPackets.Query(1, 1, labels[..3]), out _, out _));
    }

    [Fact]
    [Trait("Spec", "DNS-3")]
    public void DNS_3_responses_are_not_queries()
    {
        var response = DnsPackets.Query(1, 1, 1, 0x8180, "a", "test");

        Assert.False(DnsQueryParser.TryParse(response, out _, out var error));
        Assert.Equal("not a query (QR bit set)", error);
    }
}
