using System.Net;
using System.Text;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>
/// GH-02 through the real proxy: <c>api.anthropic.com</c> goes to its own loopback recorder through
/// <c>upstream_hosts</c>, admitted by the wide entry <c>/v1/*</c> (SEC-16: a wide entry does not switch the trim
/// off). A masked API key is scoped to it in <c>x-api-key</c>. Rewrites are checked byte for byte at the recorder;
/// refusals leave the recorder without a connection (G1), with one log line (G2), no real value (G4), and a proxy
/// that still serves (G6).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
[Trait("Spec", "OPT-7")]
public sealed class AnthropicToolDomainProxyTests
{
    private const string Anthropic = "api.anthropic.com";

    private static readonly ProxyAllowlist Allowlist = new()
    {
        Domains = ["open.test"],
        UrlPrefixes =
        [
            new ProxyUrlPrefix { Host = Anthropic, Path = "/v1/*" },
            new ProxyUrlPrefix { Host = "docs.test", Methods = ["GET"] },
            new ProxyUrlPrefix { Host = "allowed.test", Path = "/pub/*" },
        ],
    };

    [Theory]
    [Trait("Spec", "GH-02")]
    [Trait("Spec", "SEC-16")]
    [Trait("Spec", "LOG-5")]
    [InlineData("/v1/messages")]
    [InlineData("/v1/messag%65s")]
    [InlineData("/v1/messages?beta=true")]
    public async Task GH_02_web_fetch_domains_outside_the_allowlist_are_trimmed_before_the_key_is_injected(string target)
    {
        await using var harness = await StartAsync();
        const string Body = """{"model":"m","max_tokens":16,"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":["evil.test","docs.test","open.test"]}],"messages":[{"role":"user","content":"fetch"}]}""";

        // curl sends the target exactly as written (HttpClient would normalise %65 to e).
        var result = await harness.CurlAsync(
            "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json", "-H", "x-api-key: " + ProxyHarness.Surrogate,
            "--data-binary", Body, "https://api.anthropic.com" + target);

        Assert.Equal("200", result.Stdout);
        var received = Assert.Single(harness.Recorder(Anthropic).Requests);
        const string Trimmed = """{"model":"m","max_tokens":16,"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":["docs.test","open.test"]}],"messages":[{"role":"user","content":"fetch"}]}""";
        Assert.Equal(Trimmed, Encoding.UTF8.GetString(received.Body));
        Assert.Equal([Encoding.UTF8.GetByteCount(Trimmed).ToString(System.Globalization.CultureInfo.InvariantCulture)], received.HeaderValues("Content-Length"));
        Assert.Equal(target, received.Target);
        Assert.True(received.HeaderValues("x-api-key").SequenceEqual([ProxyHarness.Real]));
        Assert.Equal(
            [$"ALLOWED POST https://api.anthropic.com{target} -> 200 [tool-domains: web_fetch_20250910: dropped 1 of 3 domains: evil.test] [masked: 1]"],
            await harness.LogLinesAsync(1));
    }

    [Theory]
    [Trait("Spec", "GH-02")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","name":"web_fetch"}]}""", """{"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":[]}]}""", "web_fetch_20250910: forced allowed_domains: []")]
    [InlineData("""{"tools":[{"type":"Web_Fetch_20250910","name":"web_fetch","allowed_domains":["evil.test"]}]}""", """{"tools":[{"type":"Web_Fetch_20250910","name":"web_fetch","allowed_domains":[]}]}""", "Web_Fetch_20250910: dropped 1 of 1 domains: evil.test")]
    [InlineData("""{"requests":[{"custom_id":"1","params":{"tools":[{"type":"web_search_20250305","name":"web_search","allowed_domains":["evil.test"]}]}}]}""", """{"requests":[{"custom_id":"1","params":{"tools":[{"type":"web_search_20250305","name":"web_search"}]}}]}""", "web_search_20250305: cleared allowed_domains (1 outside allowlist: evil.test)")]
    public async Task GH_02_a_chunked_body_is_rewritten_and_forwarded_with_its_new_length(string body, string expected, string tag)
    {
        await using var harness = await StartAsync();
        using var client = harness.CreateClient();
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.anthropic.com/v1/messages/batches") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(harness.Recorder(Anthropic).Requests);
        Assert.Equal(expected, Encoding.UTF8.GetString(received.Body));
        Assert.Empty(received.HeaderValues("Transfer-Encoding"));
        // Brackets inside a tag are escaped so that request-derived text cannot fake a tag (LOG-18).
        var logged = tag.Replace("[", "\\x5b", StringComparison.Ordinal).Replace("]", "\\x5d", StringComparison.Ordinal);
        Assert.Equal([$"ALLOWED POST https://api.anthropic.com/v1/messages/batches -> 200 [tool-domains: {logged}]"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "GH-02")]
    [Trait("Spec", "OPT-6")]
    public async Task GH_02_an_http2_request_is_trimmed_like_an_http1_one()
    {
        await using var harness = await StartAsync();
        using var client = harness.CreateClient(HttpVersion.Version20);
        using var content = new StringContent("""{"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":["evil.test"]}]}""", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri("https://api.anthropic.com/v1/messages"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("""{"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":[]}]}""", Encoding.UTF8.GetString(Assert.Single(harness.Recorder(Anthropic).Requests).Body));
        Assert.Equal(["ALLOWED POST https://api.anthropic.com/v1/messages -> 200 [tool-domains: web_fetch_20250910: dropped 1 of 1 domains: evil.test]"], await harness.LogLinesAsync(1));
    }

    public static TheoryData<string, string, string, string> Refused() => new()
    {
        // variant, body, error, tag
        { "blocked_domains", """{"tools":[{"type":"web_fetch_20250910","name":"web_fetch","blocked_domains":["x"]}]}""", "blocklist_tool_config_unsupported", "web_fetch_20250910: blocked-domains" },
        { "wildcard", """{"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":["*.test"]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard" },
        { "leading dot", """{"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":[".open.test"]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard" },
        { "10 000 levels deep", "{\"tools\":" + new string('[', 10_000) + new string(']', 10_000) + "}", "tool_config_invalid", "<invalid-json>" },
        { "duplicate tools keys", """{"tools":[],"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":["evil.test"]}]}""", "tool_config_invalid", "<invalid-json>" },
        { "not json", "tools=web_fetch", "tool_config_invalid", "<invalid-json>" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    [Trait("Spec", "GH-02")]
    [Trait("Spec", "G1")]
    [Trait("Spec", "G4")]
    [Trait("Spec", "G6")]
    public async Task GH_02_refused_tool_configurations_never_reach_the_provider(string variant, string body, string error, string tag)
    {
        Assert.NotNull(variant);
        await using var harness = await StartAsync();
        using var client = harness.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.anthropic.com/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-api-key", ProxyHarness.Surrogate);

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(error, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        Assert.Equal(0, harness.Recorder(Anthropic).ConnectionCount);
        Assert.Equal([$"BLOCKED POST https://api.anthropic.com/v1/messages -> 403 [tool-domains: {tag}]"], await harness.LogLinesAsync(1));
        Assert.DoesNotContain(ProxyHarness.Real, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.LogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.Stdout, StringComparison.Ordinal);
        await harness.AssertStillServesAsync();
    }

    [Fact]
    [Trait("Spec", "OPT-7")]
    public async Task OPT_7_other_anthropic_paths_and_bodies_without_covered_tools_pass_byte_for_byte()
    {
        await using var harness = await StartAsync();
        using var client = harness.CreateClient();
        const string Plain = """{ "model" : "m", "tools" : [ {"name":"get_weather","input_schema":{"type":"object"}} ] }""";

        using var messages = await client.PostAsync(new Uri("https://api.anthropic.com/v1/messages"), new StringContent(Plain, Encoding.UTF8, "application/json"));
        using var other = await client.PostAsync(new Uri("https://api.anthropic.com/v1/files"), new StringContent("not json at all", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal([Plain, "not json at all"], harness.Recorder(Anthropic).Requests.Select(r => Encoding.UTF8.GetString(r.Body)));
        Assert.Equal(
            ["ALLOWED POST https://api.anthropic.com/v1/messages -> 200", "ALLOWED POST https://api.anthropic.com/v1/files -> 200"],
            await harness.LogLinesAsync(2));
    }

    private static Task<ProxyHarness> StartAsync() => ProxyHarness.StartAsync(
        Allowlist,
        maskedSecrets: [ProxyHarness.Tok(header: "x-api-key") with { Scopes = [Anthropic] }],
        extraRecorderNames: [Anthropic]);
}
