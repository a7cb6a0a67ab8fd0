using System.Text;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Proxy.BodyFilters;
using Airut.Sandbox.Proxy.BodyFilters.Anthropic;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests.BodyFilters;

/// <summary>The Anthropic server-side tool trim (OPT-7, GH-02) on bodies, without the proxy.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "OPT-7")]
public sealed class AnthropicToolDomainFilterTests
{
    // GET-open: open.test (domains), *.docs.test (domains), get.test (no path, GET), any.test (no path, any method).
    // Not GET-open: post.test (POST only), repo.test (path-restricted), evil.test (absent).
    private static readonly Allowlist Allowlist = new(
        ["open.test", "*.docs.test"],
        [
            new UrlPrefixRule("get.test", "", ["GET"], null),
            new UrlPrefixRule("any.test", "", [], null),
            new UrlPrefixRule("post.test", "", ["POST"], null),
            new UrlPrefixRule("repo.test", "/repos/o/r/*", [], null),
            new UrlPrefixRule("api.anthropic.com", "/v1/*", [], null),
        ]);

    private readonly AnthropicToolDomainFilter _filter = new(new GetOpenHosts(Allowlist));

    [Theory]
    [Trait("Spec", "SEC-16")]
    [InlineData("api.anthropic.com", "/v1/messages", true)]
    [InlineData("API.Anthropic.COM", "/v1/messages", true)]
    [InlineData("api.anthropic.com", "/v1/messages/batches", true)]
    [InlineData("api.anthropic.com", "/v1/messages/count_tokens", true)]
    [InlineData("api.anthropic.com", "/v1/messages?beta=true", true)]
    [InlineData("api.anthropic.com", "/v1/messages_legacy", false)]
    [InlineData("api.anthropic.com", "/v1/complete", false)]
    [InlineData("api.anthropic.com", "/V1/messages", false)]
    [InlineData("api.anthropic.com.evil.test", "/v1/messages", false)]
    [InlineData("api.scoped.test", "/v1/messages", false)]
    public void OPT_7_the_gate_is_the_anthropic_host_and_the_decoded_messages_path(string host, string decodedPath, bool applies)
    {
        Assert.Equal(applies, _filter.AppliesTo(new BodyFilterRequest(host, decodedPath, decodedPath, null)));
    }

    [Fact]
    [Trait("Spec", "GH-02")]
    public void GH_02_allowed_domains_are_cut_to_get_open_hosts_keeping_key_order()
    {
        var result = Apply("""{"model":"m","tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":["evil.test","open.test","a.docs.test","post.test","repo.test","get.test","any.test"],"max_uses":3}],"messages":[]}""");

        Assert.Equal(BodyFilterAction.Rewrite, result.Action);
        Assert.Equal(
            """{"model":"m","tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":["open.test","a.docs.test","get.test","any.test"],"max_uses":3}],"messages":[]}""",
            Encoding.UTF8.GetString(result.Body.Span));
        Assert.Equal("web_fetch_20250910: dropped 3 of 7 domains: evil.test,post.test,repo.test", result.Tag);
    }

    [Theory]
    [Trait("Spec", "GH-02")]
    [InlineData("Web_Fetch_20250910")]
    [InlineData("WEB_FETCH_20250910")]
    [InlineData("computer_20250124")]
    [InlineData("bash_20250124")]
    [InlineData("code_execution_20250825")]
    public void GH_02_covered_prefixes_match_in_any_case(string type)
    {
        var result = Apply($$"""{"tools":[{"type":"{{type}}","name":"t","allowed_domains":["evil.test"]}]}""");

        Assert.Equal($$"""{"tools":[{"type":"{{type}}","name":"t","allowed_domains":[]}]}""", Encoding.UTF8.GetString(result.Body.Span));
        Assert.Equal($"{type}: dropped 1 of 1 domains: evil.test", result.Tag);
    }

    [Fact]
    [Trait("Spec", "GH-02")]
    public void GH_02_a_missing_allowed_domains_is_injected_as_empty()
    {
        var result = Apply("""{"tools":[{"type":"web_fetch_20250910","name":"web_fetch"}]}""");

        Assert.Equal("""{"tools":[{"type":"web_fetch_20250910","name":"web_fetch","allowed_domains":[]}]}""", Encoding.UTF8.GetString(result.Body.Span));
        Assert.Equal("web_fetch_20250910: forced allowed_domains: []", result.Tag);
    }

    [Theory]
    [Trait("Spec", "GH-02")]
    [InlineData("""{"tools":[{"type":"web_search_20250305","name":"web_search","allowed_domains":["evil.test","x.test"]}]}""", "web_search_20250305: cleared allowed_domains (2 outside allowlist: evil.test,x.test)")]
    [InlineData("""{"tools":[{"type":"web_search_20250305","name":"web_search","allowed_domains":[]}]}""", "web_search_20250305: removed empty allowed_domains")]
    [InlineData("""{"tools":[{"type":"web_search_20250305","name":"web_search","allowed_domains":"evil.test"}]}""", "web_search_20250305: removed unusable allowed_domains")]
    public void GH_02_web_search_with_nothing_left_loses_the_key(string body, string tag)
    {
        var result = Apply(body);

        Assert.Equal("""{"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", Encoding.UTF8.GetString(result.Body.Span));
        Assert.Equal(tag, result.Tag);
    }

    [Fact]
    public void OPT_7_web_search_without_domains_and_tools_already_within_the_allowlist_pass_unchanged()
    {
        var result = Apply("""{"tools":[{"type":"web_search_20250305","name":"web_search"},{"type":"web_fetch_20250910","name":"f","allowed_domains":["open.test"]},{"name":"get_weather","input_schema":{"type":"object"}}]}""");

        Assert.Equal(BodyFilterAction.Pass, result.Action);
        Assert.Null(result.Tag);
    }

    [Fact]
    [Trait("Spec", "GH-02")]
    public void GH_02_batch_requests_params_tools_are_walked_too()
    {
        var result = Apply("""{"requests":[{"custom_id":"a","params":{"model":"m","tools":[{"type":"web_fetch_20250910","name":"f","allowed_domains":["evil.test"]}]}},{"custom_id":"b","params":{"tools":[{"type":"bash_20250124","name":"bash"}]}}]}""");

        Assert.Equal(
            """{"requests":[{"custom_id":"a","params":{"model":"m","tools":[{"type":"web_fetch_20250910","name":"f","allowed_domains":[]}]}},{"custom_id":"b","params":{"tools":[{"type":"bash_20250124","name":"bash","allowed_domains":[]}]}}]}""",
            Encoding.UTF8.GetString(result.Body.Span));
        Assert.Contains("web_fetch_20250910: dropped 1 of 1 domains: evil.test", result.Tag, StringComparison.Ordinal);
        Assert.Contains("bash_20250124: forced allowed_domains: []", result.Tag, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Spec", "GH-02")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","blocked_domains":["x"]}]}""", "blocklist_tool_config_unsupported", "web_fetch_20250910: blocked-domains")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","blocked_domains":"x"}]}""", "blocklist_tool_config_unsupported", "web_fetch_20250910: blocked-domains")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":["*.test"]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":["open?test"]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":[".open.test"]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":["open.test "]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":[""]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":[7]}]}""", "wildcard_tool_domain_unsupported", "web_fetch_20250910: wildcard")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":[]}],"tools":[]}""", "tool_config_invalid", "<invalid-json>")]
    [InlineData("""{"tools":[{"type":"web_fetch_20250910","allowed_domains":[]}]""", "tool_config_invalid", "<invalid-json>")]
    [InlineData("""not json""", "tool_config_invalid", "<invalid-json>")]
    public void GH_02_blocklists_wildcards_and_invalid_bodies_are_refused(string body, string error, string tag)
    {
        var result = Apply(body);

        Assert.Equal(BodyFilterAction.Block, result.Action);
        Assert.Equal(error, result.Error);
        Assert.Equal(tag, result.Tag);
    }

    [Fact]
    [Trait("Spec", "GH-02")]
    public void GH_02_a_body_nested_ten_thousand_levels_is_refused()
    {
        var result = Apply(new string('[', 10_000) + new string(']', 10_000));

        Assert.Equal("tool_config_invalid", result.Error);
    }

    [Fact]
    public void OPT_7_a_body_over_32_mebibytes_is_refused_unparsed()
    {
        var result = _filter.Apply(Request(), new byte[AnthropicToolDomainFilter.MaxBody + 1]);

        Assert.Equal("tool_config_too_large", result.Error);
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    public void LOG_15_the_tag_names_at_most_ten_dropped_domains()
    {
        var domains = string.Join(',', Enumerable.Range(0, 25).Select(i => $"\"d{i}.evil.test\""));

        var result = Apply($$"""{"tools":[{"type":"web_fetch_20250910","allowed_domains":[{{domains}}]}]}""");

        Assert.EndsWith("d9.evil.test,+15 more", result.Tag, StringComparison.Ordinal);
        Assert.DoesNotContain("d10.evil.test", result.Tag, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.test/x.docs.test")]
    [InlineData("a.docs.test:443")]
    [InlineData("open.test/path")]
    public void OPT_7_a_domain_that_is_not_a_bare_host_name_is_never_get_open(string domain)
    {
        Assert.False(new GetOpenHosts(Allowlist).Contains(domain));
    }

    [Fact]
    public void OPT_7_text_survives_a_rewrite_with_the_basic_plane_left_unescaped()
    {
        var result = Apply("""{"messages":[{"role":"user","content":"héllo 世界 😀"}],"tools":[{"type":"web_fetch_20250910"}]}""");

        // Characters outside the basic plane come out as \u escapes (the relaxed encoder's rule): same text, a few bytes more.
        var text = Encoding.UTF8.GetString(result.Body.Span);
        Assert.Contains("héllo 世界", text, StringComparison.Ordinal);
        Assert.Equal("héllo 世界 😀", System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    private BodyFilterResult Apply(string body) => _filter.Apply(Request(), Encoding.UTF8.GetBytes(body));

    private static BodyFilterRequest Request() => new("api.anthropic.com", "/v1/messages", "/v1/messages", null);
}
