using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

/// <summary>network.md §7 statements that the allowlist decision itself settles.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class PipelineStatementTests
{
    [Theory]
    [InlineData("allowed.test")]
    [InlineData("*")]
    [InlineData("")]
    public void PX_12_SEC_1_connect_is_refused_for_allowed_hosts_and_with_an_empty_allowlist(string domain)
    {
        var decision = Policy(domain.Length == 0 ? [] : [domain]).Decide("allowed.test", "/", "CONNECT");
        Assert.False(decision.Allowed);
        Assert.Equal(BlockResponse.AllowlistError, decision.Block!.Error);
    }

    [Fact]
    public void SEC_14_websocket_upgrade_is_judged_like_any_get_including_path_and_method()
    {
        HeaderField[] upgrade = [new("Upgrade", "websocket"), new("Connection", "Upgrade")];
        var policy = Policy(Rule("ws.test", "/socket", "GET"), Rule("ws.test", "/post-only", "POST"));
        Assert.True(policy.Decide("ws.test", "/socket", "GET", upgrade).Allowed);
        Assert.Equal(EgressReason.NotAllowlisted, policy.Decide("ws.test", "/other", "GET", upgrade).Reason);
        Assert.Equal(EgressReason.MethodNotAllowed, policy.Decide("ws.test", "/post-only", "GET", upgrade).Reason);
    }

    [Fact]
    public void SEC_15_domain_hit_or_earlier_entry_without_graphql_returns_no_graphql_rules()
    {
        var graphql = new UrlPrefixRule("api.github.com", "/graphql", ["POST"], new GraphQlRules(["viewer"], [], []));
        Assert.Null(Policy(["api.github.com"], graphql).Decide("api.github.com", "/graphql", "POST").MatchedRule);

        var plain = Rule("api.github.com", "/graph*", "POST");
        Assert.Same(plain, Policy(plain, graphql).Decide("api.github.com", "/graphql", "POST").MatchedRule);
        Assert.Same(graphql, Policy(graphql, plain).Decide("api.github.com", "/graphql", "POST").MatchedRule);
    }

    [Fact]
    public async Task SEC_18_matched_entry_is_per_request_under_concurrency()
    {
        var rules = Enumerable.Range(0, 16).Select(i => Rule($"h{i}.test", $"/p{i}*")).ToArray();
        var policy = Policy(rules);
        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var n = 0; n < 2000; n++)
            {
                var i = (worker + n) % rules.Length;
                if (!ReferenceEquals(rules[i], policy.Decide($"h{i}.test", $"/p{i}/x").MatchedRule) ||
                    policy.Decide($"h{i}.test", $"/p{(i + 1) % rules.Length}/x").Allowed)
                {
                    return false;
                }
            }

            return true;
        }));
        Assert.All(await Task.WhenAll(tasks), Assert.True);
    }
}
