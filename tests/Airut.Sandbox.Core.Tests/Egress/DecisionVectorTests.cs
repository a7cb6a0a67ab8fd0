using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

/// <summary>The 25 decision vectors of network.md §1.6, by number. Row 17 takes the [H] outcome.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "AL-1.6")]
public sealed class DecisionVectorTests
{
    [Fact]
    public void V01_domain_entry_allows_any_path() =>
        Assert.True(Policy(["api.anthropic.com"]).Decide("api.anthropic.com", "/any/path/here").Allowed);

    [Fact]
    public void V02_other_host_under_same_apex_is_blocked() =>
        Assert.False(Policy(["api.anthropic.com"]).Decide("other.anthropic.com", "/v1/messages").Allowed);

    [Fact]
    public void V03_wildcard_subdomain_does_not_match_apex() =>
        Assert.False(Policy(["*.github.com"]).Decide("github.com", "/any").Allowed);

    [Fact]
    public void V04_wildcard_host_match_is_case_insensitive() =>
        Assert.True(Policy(["*.github.com"]).Decide("API.GITHUB.COM", "/").Allowed);

    [Fact]
    public void V05_exact_path_does_not_match_trailing_slash() =>
        Assert.False(Policy(Rule("api.github.com", "/graphql")).Decide("api.github.com", "/graphql/").Allowed);

    [Fact]
    public void V06_encoded_slash_is_decoded_before_matching() =>
        Assert.True(Policy(Rule("api.github.com", "/repos/foo*")).Decide("api.github.com", "/repos/foo%2Fbar").Allowed);

    [Fact]
    public void V07_double_encoding_is_decoded_only_once() =>
        Assert.False(Policy(Rule("example.com", "/a/b")).Decide("example.com", "/a%252Fb").Allowed);

    [Fact]
    public void V08_encoded_letter_matches_exact_path() =>
        Assert.True(Policy(Rule("example.com", "/graphql")).Decide("example.com", "/%67raphql", "POST").Allowed);

    [Fact]
    public void V09_encoded_hash_is_a_path_character() =>
        Assert.True(Policy(Rule("example.com", "/api/*")).Decide("example.com", "/api/foo%23bar").Allowed);

    [Fact]
    public void V10_encoded_nul_is_blocked() =>
        Assert.False(Policy(Rule("example.com", "/allowed*")).Decide("example.com", "/allowed%00/../secret").Allowed);

    [Fact]
    public void V11_literal_nul_is_blocked() =>
        Assert.False(Policy(Rule("example.com", "/allowed*")).Decide("example.com", "/allowed\0foo").Allowed);

    private static AllowlistEgressPolicy RepoPolicy() => Policy(Rule("api.github.com", "/repos/myorg/myrepo*"));

    [Fact]
    public void V12_literal_traversal_is_blocked() =>
        Assert.False(RepoPolicy().Decide("api.github.com", "/repos/myorg/myrepo/../../repos/evil/private").Allowed);

    [Fact]
    public void V13_encoded_traversal_is_blocked() =>
        Assert.False(RepoPolicy().Decide("api.github.com", "/repos/myorg/myrepo/%2e%2e/%2e%2e/repos/evil/private").Allowed);

    [Fact]
    public void V14_trailing_dot_dot_is_blocked() =>
        Assert.False(RepoPolicy().Decide("api.github.com", "/repos/myorg/myrepo/..").Allowed);

    [Fact]
    public void V15_dot_dot_prefix_in_a_name_is_allowed() =>
        Assert.True(RepoPolicy().Decide("api.github.com", "/repos/myorg/myrepo/..hidden").Allowed);

    [Theory]
    [InlineData("/repos/myorg/myrepo\\..\\evil")]
    [InlineData("/repos/myorg/myrepo%5C..%5Cevil")]
    [InlineData("/repos/myorg/myrepo\\foo")]
    public void V16_backslash_in_any_form_is_blocked(string path) =>
        Assert.False(RepoPolicy().Decide("api.github.com", path).Allowed);

    [Fact]
    public void V17_dot_dot_segment_before_query_is_blocked_hardened() =>
        Assert.False(RepoPolicy().Decide("api.github.com", "/repos/myorg/myrepo/..?x=1").Allowed);

    [Fact]
    public void V18_method_not_in_list_is_blocked_with_method_message()
    {
        var decision = Policy(Rule("api.github.com", "/graphql", "POST")).Decide("api.github.com", "/graphql", "GET");
        Assert.False(decision.Allowed);
        Assert.Equal(EgressReason.MethodNotAllowed, decision.Reason);
        Assert.StartsWith("Method GET is not allowed for this URL.", decision.Block!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V19_methods_compare_case_insensitively_and_others_are_blocked()
    {
        var policy = Policy(Rule("api.example.com", "/data", "get", "post"));
        var decision = policy.Decide("api.example.com", "/data", "DELETE");
        Assert.Equal(EgressReason.MethodNotAllowed, decision.Reason);
        Assert.Contains("Method DELETE", decision.Block!.Message, StringComparison.Ordinal);
        Assert.True(policy.Decide("api.example.com", "/data", "GET").Allowed);
    }

    [Fact]
    public void V20_domain_entry_beats_wildcard_method_rule() =>
        Assert.Equal(
            EgressReason.DomainMatched,
            Policy(["trusted.internal.com"], Rule("*", "", "GET", "HEAD")).Decide("trusted.internal.com", "/api", "DELETE").Reason);

    [Fact]
    public void V21_wildcard_host_rule_blocks_other_methods() =>
        Assert.Equal(
            EgressReason.MethodNotAllowed,
            Policy(Rule("*", "", "GET", "HEAD")).Decide("other.com", "/api", "POST").Reason);

    [Fact]
    public void V22_later_entry_grants_method_after_method_only_mismatch()
    {
        var second = Rule("api.anthropic.com", "/v1/messages*", "POST");
        var decision = Policy(Rule("*", "", "GET", "HEAD"), second).Decide("api.anthropic.com", "/v1/messages", "POST");
        Assert.True(decision.Allowed);
        Assert.Same(second, decision.MatchedRule);
    }

    [Fact]
    public void V23_empty_path_pattern_matches_empty_target() =>
        Assert.True(Policy(Rule("storage.example.com")).Decide("storage.example.com", string.Empty).Allowed);

    [Fact]
    public void V24_brackets_are_a_class_inside_a_glob()
    {
        var policy = Policy(Rule("a.com", "/v[12]/*"));
        Assert.True(policy.Decide("a.com", "/v1/x").Allowed);
        Assert.False(policy.Decide("a.com", "/v3/x").Allowed);
    }

    [Theory]
    [InlineData("anything.test", "/", "GET")]
    [InlineData("x", "", "POST")]
    [InlineData("127.0.0.1", "/a?b", "DELETE")]
    public void V25_empty_allowlist_blocks_everything(string host, string path, string method)
    {
        var decision = Policy().Decide(host, path, method);
        Assert.False(decision.Allowed);
        Assert.Equal(EgressReason.NotAllowlisted, decision.Reason);
    }
}
