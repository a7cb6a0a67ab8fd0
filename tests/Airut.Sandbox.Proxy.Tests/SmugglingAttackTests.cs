using System.Text;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>attacks.md SMUG-01, H2-02, H2-03: one request in, at most one correctly framed request out.</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class SmugglingAttackTests
{
    [Theory]
    [Trait("Spec", "SMUG-01")]
    [InlineData("POST /pub/x HTTP/1.1\r\nHost: open.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /priv/secret HTTP/1.1\r\nHost: open.test\r\n\r\n")]
    [InlineData("POST /pub/x HTTP/1.1\r\nHost: open.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n2e\r\nGET /priv/secret HTTP/1.1\r\nHost: open.test\r\n\r\n\r\n0\r\n\r\n")]
    [InlineData("POST /pub/x HTTP/1.1\r\nHost: open.test\r\nTransfer-Encoding: chunked\r\n\r\n2c\r\nGET /priv/secret HTTP/1.1\r\nHost: open.test\r\n\r\n\r\n0\r\n\r\n")]
    [InlineData("POST /pub/x HTTP/1.1\r\nHost: open.test\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd")]
    [InlineData("POST /pub/x HTTP/1.1\r\nHost: open.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n")]
    public async Task SMUG_01_conflicting_framing_is_refused_or_re_framed_and_no_second_request_reaches_the_upstream(string raw)
    {
        // Kestrel lets Transfer-Encoding win over Content-Length and closes the connection afterwards (RFC 9112
        // §6.3); the forwarder then writes its own framing. Either way the recorder parses at most one request.
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(raw, tls: true, sni: "open.test");

        Assert.Matches("^HTTP/1.1 (4\\d\\d|200)", response);
        Assert.DoesNotContain(harness.Open.Requests, r => r.Target.Contains("/priv/secret", StringComparison.Ordinal));
        Assert.True(harness.Open.Requests.Count <= 1);
        Assert.All(harness.Open.Requests, r => Assert.Equal("POST", r.Method));
        await harness.AssertStillServesAsync();
    }

    [Fact]
    [Trait("Spec", "SMUG-01")]
    public async Task SMUG_01_a_chunked_body_is_re_framed_so_the_upstream_parses_exactly_one_request()
    {
        await using var harness = await ProxyHarness.StartAsync();
        const string smuggled = "GET /priv/secret HTTP/1.1\r\nHost: open.test\r\n\r\n";
        var body = $"{smuggled.Length:x}\r\n{smuggled}\r\n0\r\n\r\n";

        var response = await harness.RawAsync($"POST /pub/x HTTP/1.1\r\nHost: open.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{body}", tls: true, sni: "open.test");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var request = Assert.Single(harness.Open.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(smuggled, Encoding.Latin1.GetString(request.Body));
    }

    [Theory]
    [Trait("Spec", "SMUG-01")]
    [InlineData("content-length", "0")]
    [InlineData("transfer-encoding", "chunked")]
    public async Task SMUG_01_http2_body_that_disagrees_with_its_framing_is_reset(string name, string value)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var outcome = await Http2RawClient.SendAsync(
            harness,
            [(":method", "POST"), (":scheme", "https"), (":path", "/pub/x"), (":authority", "open.test"), (name, value)],
            Encoding.ASCII.GetBytes("GET /priv/secret HTTP/1.1\r\nHost: open.test\r\n\r\n"),
            sni: "open.test");

        Assert.False(outcome.Ok);
        Assert.DoesNotContain("/priv/secret", harness.Open.AllText(), StringComparison.Ordinal);
        await harness.AssertStillServesAsync();
    }

    public static TheoryData<string, string[]> IllegalHttp2Fields => new()
    {
        { "CRLF in a value", ["x-a", "b\r\nAuthorization: Bearer ATTACKER"] },
        { "NUL in a value", ["x-a", "b\0c"] },
        { "upper-case name", ["X-Upper", "1"] },
        { "connection header", ["connection", "keep-alive"] },
        { "keep-alive header", ["keep-alive", "timeout=5"] },
        { "transfer-encoding header", ["transfer-encoding", "chunked"] },
        { "upgrade header", ["upgrade", "h2c"] },
    };

    [Theory]
    [Trait("Spec", "H2-02")]
    [MemberData(nameof(IllegalHttp2Fields))]
    public async Task H2_02_illegal_fields_are_refused_and_nothing_is_injected_upstream(string why, string[] field)
    {
        Assert.NotNull(why);
        await using var harness = await ProxyHarness.StartAsync();

        var outcome = await Http2RawClient.SendAsync(
            harness, [(":method", "GET"), (":scheme", "https"), (":path", "/pub/x"), (":authority", "allowed.test"), (field[0], field[1])]);

        Assert.False(outcome.Ok);
        Assert.DoesNotContain("ATTACKER", harness.Allowed.AllText(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Allowed.ConnectionCount);
        await harness.AssertStillServesAsync();
    }

    public static TheoryData<string, string[][]> IllegalPseudoHeaders => new()
    {
        { "authority-like path", [[":method", "GET"], [":scheme", "https"], [":path", "evil.test/x"], [":authority", "allowed.test"]] },
        { "asterisk path with GET", [[":method", "GET"], [":scheme", "https"], [":path", "*"], [":authority", "allowed.test"]] },
        { "empty path", [[":method", "GET"], [":scheme", "https"], [":path", ""], [":authority", "allowed.test"]] },
        { "duplicate path", [[":method", "GET"], [":scheme", "https"], [":path", "/pub/x"], [":path", "/priv/secret"], [":authority", "allowed.test"]] },
        { "pseudo after regular", [[":method", "GET"], [":scheme", "https"], ["x-a", "1"], [":path", "/pub/x"], [":authority", "allowed.test"]] },
        { "userinfo authority", [[":method", "GET"], [":scheme", "https"], [":path", "/pub/x"], [":authority", "allowed.test@evil.test"]] },
    };

    [Theory]
    [Trait("Spec", "H2-02")]
    [MemberData(nameof(IllegalPseudoHeaders))]
    public async Task H2_02_pseudo_header_abuse_never_reaches_an_upstream(string why, string[][] fields)
    {
        Assert.NotNull(why);
        await using var harness = await ProxyHarness.StartAsync();

        var outcome = await Http2RawClient.SendAsync(harness, [.. fields.Select(f => (f[0], f[1]))]);

        Assert.False(outcome.Ok);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }

    [Fact]
    [Trait("Spec", "H2-02")]
    [Trait("Spec", "PX-4")]
    public async Task H2_02_authority_wins_over_a_disagreeing_host_field_for_decision_and_routing_alike()
    {
        // Kestrel replaces Host with :authority, so the judged, routed and sent host are the same one.
        await using var harness = await ProxyHarness.StartAsync();

        var outcome = await Http2RawClient.SendAsync(harness, [(":method", "GET"), (":scheme", "https"), (":path", "/pub/x"), (":authority", "allowed.test"), ("host", "evil.test")]);

        Assert.True(outcome.Ok);
        Assert.Equal(["allowed.test"], Assert.Single(harness.Allowed.Requests).HeaderValues("Host"));
        Assert.Equal(0, harness.Evil.ConnectionCount);
    }

    [Fact]
    [Trait("Spec", "H2-02")]
    public async Task H2_02_scheme_http_on_tls_is_judged_like_the_tls_request_it_is()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var outcome = await Http2RawClient.SendAsync(harness, [(":method", "GET"), (":scheme", "http"), (":path", "/priv/secret"), (":authority", "allowed.test")]);

        Assert.False(outcome.Ok);
        Assert.Equal(0, harness.Allowed.ConnectionCount);
    }

    [Fact]
    [Trait("Spec", "H2-03")]
    public async Task H2_03_h2c_upgrade_is_answered_as_http11_and_never_forwarded()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("--http2", "-o", "/dev/null", "-w", "%{http_code} %{http_version}", "http://allowed.test/pub/x");

        Assert.Equal("200 1.1", result.Stdout);
        var request = Assert.Single(harness.Allowed.Requests);
        Assert.False(request.HasHeader("Upgrade"));
        Assert.False(request.HasHeader("HTTP2-Settings"));
        Assert.DoesNotContain("h2c", harness.Allowed.AllText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    [Trait("Spec", "H2-03")]
    public async Task H2_03_explicit_upgrade_h2c_header_never_reaches_an_upstream_that_would_accept_it()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(
            "GET /pub/x HTTP/1.1\r\nHost: allowed.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.DoesNotContain("h2c", harness.Allowed.AllText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("HTTP2-Settings", harness.Allowed.AllText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    [Trait("Spec", "H2-03")]
    public async Task H2_03_prior_knowledge_h2_on_the_plaintext_port_is_not_served()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", "http://allowed.test/pub/x");

        Assert.NotEqual("200", result.Stdout);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }
}
