using System.Net;
using System.Text;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>attacks.md HS-01, HS-02, HS-03, HS-07, ADM-01 and SEC-34: the Host is what is judged and routed.</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class HostConfusionAttackTests
{
    [Fact]
    [Trait("Spec", "SEC-08")]
    [Trait("Spec", "SEC-04")]
    [Trait("Spec", "HS-01")]
    public async Task HS_01_sni_evil_with_host_allowed_is_a_host_mismatch()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "https://evil.test/pub/x", "-H", "Host: allowed.test");

        Assert.Equal("403", result.Stdout);
        Assert.Equal(["BLOCKED GET https://allowed.test/pub/x -> 403 (host mismatch: header=allowed.test, url=evil.test)"], await harness.LogLinesAsync(1));
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Fact]
    [Trait("Spec", "HS-01")]
    public async Task HS_01_sni_allowed_with_host_evil_is_a_host_mismatch()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("-s", "https://allowed.test/pub/x", "-H", "Host: evil.test");

        Assert.Contains("Host mismatch", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(["BLOCKED GET https://evil.test/pub/x -> 403 (host mismatch: header=evil.test, url=allowed.test)"], await harness.LogLinesAsync(1));
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Fact]
    [Trait("Spec", "HS-01")]
    [Trait("Spec", "H2-03")]
    public async Task HS_01_an_http2_stream_for_another_authority_on_a_connection_for_an_allowed_name_is_a_mismatch()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var outcome = await Http2RawClient.SendAsync(harness, [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":authority", "evil.test")], sni: "allowed.test");

        Assert.False(outcome.Ok);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        Assert.Equal(["BLOCKED GET https://evil.test/ -> 403 (host mismatch: header=evil.test, url=allowed.test)"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "HS-01")]
    [Trait("Spec", "PX-3")]
    public async Task HS_01_without_sni_the_request_is_routed_strictly_by_the_checked_host()
    {
        await using var harness = await ProxyHarness.StartAsync();
        string[] client = ["s_client", "-quiet", "-noservername", "-connect", $"127.0.0.1:{harness.HttpsPort}", "-CAfile", harness.CaPath];

        var evil = await ExternalTool.RunAsync("openssl", client, Encoding.ASCII.GetBytes("GET /pub/x HTTP/1.1\r\nHost: evil.test\r\nConnection: close\r\n\r\n"));
        var allowed = await ExternalTool.RunAsync("openssl", client, Encoding.ASCII.GetBytes("GET /pub/x HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n"));

        Assert.StartsWith("HTTP/1.1 403", evil.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", allowed.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, harness.Evil.ConnectionCount);
        Assert.Single(harness.Allowed.Requests);
        Assert.Equal(["BLOCKED GET https://evil.test/pub/x -> 403", "ALLOWED GET https://allowed.test/pub/x -> 200"], await harness.LogLinesAsync(2));
    }

    [Fact]
    [Trait("Spec", "HS-01")]
    [Trait("Spec", "SEC-34")]
    public async Task HS_01_ip_literal_host_is_refused_even_by_a_wildcard_entry()
    {
        await using var outside = new Testing.Recording.RecorderServer("outside");
        await using var harness = await ProxyHarness.StartAsync(
            allowlist: new ProxyAllowlist { Domains = ["*"] },
            extraUpstreamHosts: [ProxyHarness.Map("10.250.0.9", outside), ProxyHarness.Map("169.254.169.254", outside)]);
        using var client = harness.CreateClient();

        using var literal = await client.GetAsync(new Uri("http://10.250.0.9/"));
        using var metadata = await client.GetAsync(new Uri("http://169.254.169.254/latest/meta-data/"));
        using var loopback = await client.GetAsync(new Uri("http://127.0.0.1/"));

        Assert.Equal(HttpStatusCode.Forbidden, literal.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, metadata.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, loopback.StatusCode);
        Assert.Equal(0, outside.ConnectionCount);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        Assert.Equal(3, (await harness.LogLinesAsync(3)).Count(l => l.StartsWith("BLOCKED GET http://", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait("Spec", "SEC-34")]
    public async Task SEC_34_ip_literal_named_exactly_by_an_entry_is_forwarded()
    {
        await using var outside = new Testing.Recording.RecorderServer("outside");
        await using var harness = await ProxyHarness.StartAsync(
            allowlist: new ProxyAllowlist { Domains = ["10.250.0.9"] },
            extraUpstreamHosts: [ProxyHarness.Map("10.250.0.9", outside)]);
        using var client = harness.CreateClient();

        using var response = await client.GetAsync(new Uri("http://10.250.0.9/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(outside.Requests);
    }

    [Theory]
    [Trait("Spec", "PX-16")]
    [Trait("Spec", "ADM-01")]
    [InlineData("10.199.1.100")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("mitm.it")]
    [InlineData("airut-proxy")]
    public async Task ADM_01_requests_addressed_to_the_proxy_itself_are_blocked(string host)
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: new ProxyAllowlist { Domains = ["*.test", "10.199.1.100"] }, proxyAddresses: ["10.199.1.100"]);

        var response = await harness.RawAsync($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.Contains("blocked_by_network_allowlist", response, StringComparison.Ordinal);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Theory]
    [Trait("Spec", "ADM-01")]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    [InlineData("/debug/pprof")]
    [InlineData("/swagger")]
    [InlineData("/_admin")]
    [InlineData("/.well-known/acme-challenge/x")]
    public async Task ADM_01_no_built_in_handler_answers_on_the_client_listeners(string path)
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var client = harness.CreateClient();

        using var blocked = await client.GetAsync(new Uri("https://allowed.test" + path));
        using var forwarded = await client.GetAsync(new Uri("https://open.test" + path));

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal($"ok from open.test {path}", await forwarded.Content.ReadAsStringAsync());
        Assert.Equal(0, harness.Allowed.ConnectionCount);
    }

    [Fact]
    [Trait("Spec", "ADM-01")]
    public async Task ADM_01_asterisk_form_options_is_rejected()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync("OPTIONS * HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n");

        Assert.Matches("^HTTP/1.1 40[03]", response);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }

    [Theory]
    [Trait("Spec", "HS-02")]
    [Trait("Spec", "PX-6")]
    [InlineData("GET http://evil.test/x HTTP/1.1\r\nHost: allowed.test\r\n")]
    [InlineData("GET http://allowed.test@evil.test/x HTTP/1.1\r\nHost: allowed.test\r\n")]
    [InlineData("GET http://allowed.test@evil.test/x HTTP/1.1\r\nHost: evil.test\r\n")]
    [InlineData("GET http://evil.test/x HTTP/1.1\r\n")]
    [InlineData("GET https://evil.test/ HTTP/1.1\r\nHost: evil.test\r\n")]
    [InlineData("GET http://allowed.test/pub/x HTTP/1.1\r\nHost: evil.test\r\n")]
    public async Task HS_02_absolute_form_with_an_evil_or_mismatched_authority_never_reaches_an_upstream(string head)
    {
        // Kestrel itself answers 400 when the absolute URL's authority and Host differ (RFC 9112 §3.2.2) and
        // when Host is missing; everything else that names evil.test is a 403 from the allowlist.
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(head + "Connection: close\r\n\r\n");

        Assert.Matches("^HTTP/1.1 40[03]", response);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        Assert.All(await harness.LogLinesAsync(0), line => Assert.StartsWith("BLOCKED", line, StringComparison.Ordinal));
        await harness.AssertStillServesAsync();
    }

    [Fact]
    [Trait("Spec", "HS-02")]
    public async Task HS_02_absolute_form_inside_tls_with_another_authority_never_reaches_an_upstream()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync("GET https://evil.test/ HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n", tls: true);

        Assert.Matches("^HTTP/1.1 40[03]", response);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Fact]
    [Trait("Spec", "HS-02")]
    [Trait("Spec", "PX-17")]
    public async Task HS_02_absolute_form_control_is_forwarded_in_origin_form_and_network_path_stays_a_path()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var control = await harness.RawAsync("GET http://allowed.test/pub/x HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n");
        var networkPath = await harness.RawAsync("GET //evil.test/x HTTP/1.1\r\nHost: open.test\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", control, StringComparison.Ordinal);
        Assert.Equal("/pub/x", Assert.Single(harness.Allowed.Requests).Target);
        Assert.StartsWith("HTTP/1.1 200", networkPath, StringComparison.Ordinal);
        Assert.Equal("//evil.test/x", Assert.Single(harness.Open.Requests).Target);
        Assert.Equal(0, harness.Evil.ConnectionCount);
        Assert.Equal(["ALLOWED GET http://allowed.test/pub/x -> 200", "ALLOWED GET http://open.test//evil.test/x -> 200"], await harness.LogLinesAsync(2));
    }

    [Theory]
    [Trait("Spec", "HS-03")]
    [Trait("Spec", "PX-22")]
    [Trait("Spec", "SEC-33")]
    [InlineData(false, "GET /pub/x HTTP/1.1\r\nHost: allowed.test:6379\r\n")]
    [InlineData(false, "GET http://allowed.test:25/pub/x HTTP/1.1\r\nHost: allowed.test:25\r\n")]
    [InlineData(true, "GET /pub/x HTTP/1.1\r\nHost: allowed.test:8443\r\n")]
    public async Task HS_03_an_explicit_port_other_than_the_listener_port_is_refused(bool tls, string head)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(head + "Connection: close\r\n\r\n", tls);

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        var line = Assert.Single(await harness.LogLinesAsync(1));
        Assert.Matches(@"^BLOCKED GET https?://allowed\.test:(6379|25|8443)/pub/x -> 403$", line);
    }

    [Fact]
    [Trait("Spec", "HS-03")]
    public async Task HS_03_curl_to_an_odd_port_redirected_to_the_proxy_is_refused()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "--connect-to", $":8443:127.0.0.1:{harness.HttpsPort}", "https://allowed.test:8443/pub/x");

        Assert.Equal("403", result.Stdout);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Theory]
    [Trait("Spec", "HS-07")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HS_07_pipelined_requests_on_one_connection_are_each_judged_on_their_own(bool tls)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(
            "GET /pub/a HTTP/1.1\r\nHost: allowed.test\r\n\r\n" +
            "GET / HTTP/1.1\r\nHost: evil.test\r\n\r\n" +
            "GET /priv/secret HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n",
            tls);

        var statuses = ProxyHarness.Statuses(response);
        Assert.Equal(["200", "403", "403"], statuses);
        Assert.DoesNotContain("CANARY-PRIV", response, StringComparison.Ordinal);
        Assert.Equal(0, harness.Evil.ConnectionCount);
        Assert.Equal("/pub/a", Assert.Single(harness.Allowed.Requests).Target);
        var scheme = tls ? "https" : "http";
        Assert.Equal(
            [
                $"ALLOWED GET {scheme}://allowed.test/pub/a -> 200",
                tls ? "BLOCKED GET https://evil.test/ -> 403 (host mismatch: header=evil.test, url=allowed.test)" : "BLOCKED GET http://evil.test/ -> 403",
                $"BLOCKED GET {scheme}://allowed.test/priv/secret -> 403",
            ],
            await harness.LogLinesAsync(3));
    }
}
