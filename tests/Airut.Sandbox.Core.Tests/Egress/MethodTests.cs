using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class MethodTests
{
    private static readonly IEgressPolicy GetOnly = Policy(["open.test"], Rule("allowed.test", "/pub/*", "GET"));

    [Fact]
    public void AL_18_methods_compare_case_insensitively()
    {
        var policy = Policy(Rule("h.test", "", "get"));
        Assert.True(policy.Decide("h.test", "/", "GET").Allowed);
        Assert.True(policy.Decide("h.test", "/", "Get").Allowed);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("PROPFIND")]
    public void AL_18_empty_method_list_admits_every_method(string method) =>
        Assert.True(Policy(Rule("h.test")).Decide("h.test", "/", method).Allowed);

    [Fact]
    public void AL_18_domain_hit_has_no_matched_entry_and_url_prefix_hit_returns_it()
    {
        var rule = Rule("b.test", "/x");
        var policy = Policy(["a.test"], rule);
        var domain = policy.Decide("a.test", "/", "PATCH");
        Assert.Equal(EgressReason.DomainMatched, domain.Reason);
        Assert.Null(domain.MatchedRule);
        Assert.Same(rule, policy.Decide("b.test", "/x").MatchedRule);
    }

    [Fact]
    public void AL_18_first_matching_entry_wins()
    {
        var first = Rule("h.test", "/a*");
        var second = Rule("h.test", "/a/b");
        Assert.Same(first, Policy(first, second).Decide("h.test", "/a/b").MatchedRule);
    }

    [Fact]
    public void SEC_11_domains_entries_beat_method_restrictions() =>
        Assert.True(Policy(["h.test"], Rule("*", "", "GET", "HEAD")).Decide("h.test", "/", "DELETE").Allowed);

    [Fact]
    public void SEC_12_method_mismatch_lets_a_later_entry_grant_the_method()
    {
        var policy = Policy(Rule("h.test", "/x", "GET"), Rule("h.test", "/x", "POST"));
        Assert.True(policy.Decide("h.test", "/x", "POST").Allowed);
        Assert.Equal(EgressReason.MethodNotAllowed, policy.Decide("h.test", "/x", "PUT").Reason);
    }

    [Fact]
    public void SEC_13_PX_11_method_message_is_distinct_from_host_path_message()
    {
        var method = GetOnly.Decide("allowed.test", "/pub/x", "POST").Block!;
        var path = GetOnly.Decide("allowed.test", "/priv/x", "POST").Block!;
        Assert.Equal(
            "Method POST is not allowed for this URL. To request access, add the method to the entry's 'methods' list in .airut/network-allowlist.yaml and submit a PR.",
            method.Message);
        Assert.Equal(
            "This host/path is not in the network allowlist. To request access, edit .airut/network-allowlist.yaml and submit a PR.",
            path.Message);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("PROPFIND")]
    public void METH_01_disallowed_methods_get_the_method_message(string method)
    {
        var decision = GetOnly.Decide("allowed.test", "/pub/item", method);
        Assert.Equal(EgressReason.MethodNotAllowed, decision.Reason);
        Assert.StartsWith($"Method {method} is not allowed for this URL.", decision.Block!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post", EgressReason.MethodNotAllowed)]
    [InlineData("PoSt", EgressReason.MethodNotAllowed)]
    [InlineData("get", EgressReason.UrlPrefixMatched)]
    public void METH_01_case_variants_compare_case_insensitively(string method, EgressReason reason) =>
        Assert.Equal(reason, GetOnly.Decide("allowed.test", "/pub/item", method).Reason);

    [Theory]
    [InlineData("GET ")]
    [InlineData("G ET")]
    [InlineData("GET\0")]
    [InlineData("")]
    [InlineData("GE\nT")]
    [InlineData("G(T")]
    public void METH_01_invalid_method_tokens_are_refused_on_every_host(string method)
    {
        var decision = GetOnly.Decide("open.test", "/pub/item", method);
        Assert.Equal(EgressReason.UnsafeMethod, decision.Reason);
        Assert.Null(decision.Block!.Method);
    }

    [Fact]
    public void METH_01_a_huge_method_is_refused_and_not_echoed()
    {
        var decision = GetOnly.Decide("open.test", "/", new string('A', 10 * 1024));
        Assert.Equal(EgressReason.UnsafeMethod, decision.Reason);
        Assert.True(decision.Block!.ToJson().Length < 1024);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PROPFIND")]
    [InlineData("PATCH")]
    public void METH_01_domain_entries_allow_every_method(string method) =>
        Assert.True(GetOnly.Decide("open.test", "/x", method).Allowed);

    [Theory]
    [InlineData("X-HTTP-Method-Override", "DELETE")]
    [InlineData("X-HTTP-Method", "PUT")]
    [InlineData("X-Method-Override", "PATCH")]
    [InlineData("x-http-method-override", "DELETE")]
    public void METH_02_override_headers_are_refused_on_method_restricted_entries(string header, string value)
    {
        var decision = GetOnly.Decide("allowed.test", "/pub/item/1", "GET", new HeaderField(header, value));
        Assert.Equal(EgressReason.UnsafeMethod, decision.Reason);
        Assert.DoesNotContain(value, decision.Block!.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/pub/item/1?_method=DELETE")]
    [InlineData("/pub/item/1?a=1&_METHOD=DELETE")]
    [InlineData("/pub/item/1?a=1;_method=PUT")]
    [InlineData("/pub/item/1?%5Fmethod=DELETE")]
    [InlineData("/pub/item/1?_method")]
    public void METH_02_method_query_parameter_is_refused_on_method_restricted_entries(string path) =>
        Assert.Equal(EgressReason.UnsafeMethod, GetOnly.Decide("allowed.test", path).Reason);

    [Fact]
    public void METH_02_overrides_are_harmless_where_every_method_is_allowed()
    {
        Assert.True(GetOnly.Decide("open.test", "/x?_method=DELETE", "GET", new HeaderField("X-HTTP-Method-Override", "DELETE")).Allowed);
        Assert.True(GetOnly.Decide("allowed.test", "/pub/x?my_method=1").Allowed);
    }

    [Theory]
    [InlineData("TRACE")]
    [InlineData("TRACK")]
    [InlineData("DEBUG")]
    [InlineData("trace")]
    [InlineData("CONNECT")]
    public void METH_03_echoing_and_tunnel_methods_are_refused_on_every_host(string method)
    {
        var decision = Policy(["*"]).Decide("scoped.test", "/", method);
        Assert.False(decision.Allowed);
        Assert.Equal(EgressReason.UnsafeMethod, decision.Reason);
        Assert.Equal(BlockResponse.AllowlistError, decision.Block!.Error);
    }
}
