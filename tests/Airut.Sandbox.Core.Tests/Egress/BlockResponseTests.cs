using System.Text.Json;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class BlockResponseTests
{
    [Fact]
    public void PX_13_allowlist_block_body_has_error_host_raw_path_method_message_in_order()
    {
        var decision = Policy(["a.test"]).Decide("B.Test", "/x%2Fy?q=1", "Get");
        using var json = JsonDocument.Parse(decision.Block!.ToJson());
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["error", "host", "path", "method", "message"], keys);
        Assert.Equal("blocked_by_network_allowlist", json.RootElement.GetProperty("error").GetString());
        Assert.Equal("b.test", json.RootElement.GetProperty("host").GetString());
        Assert.Equal("/x%2Fy?q=1", json.RootElement.GetProperty("path").GetString());
        Assert.Equal("Get", json.RootElement.GetProperty("method").GetString());
        Assert.Contains("not in the network allowlist", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PX_13_refused_path_body_carries_a_detail_and_escapes_control_characters()
    {
        var decision = Policy(["a.test"]).Decide("a.test", "/x\0y\n", "GET");
        var json = decision.Block!.ToJson();
        Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal("/x\0y\n", parsed.RootElement.GetProperty("path").GetString());
        Assert.False(string.IsNullOrEmpty(parsed.RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public void PX_13_block_body_never_echoes_header_values()
    {
        const string headerValue = "secret-looking-header-value";
        var decision = Policy(Rule("a.test", "/x", "GET"))
            .Decide("a.test", "/x", "GET", new HeaderField("X-HTTP-Method-Override", headerValue));
        Assert.False(decision.Allowed);
        Assert.DoesNotContain(headerValue, decision.Block!.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void PX_13_allowed_decision_has_no_block_body() =>
        Assert.Null(Policy(["a.test"]).Decide("a.test", "/").Block);

    [Theory]
    [InlineData("")]
    [InlineData("a.test:8443")]
    [InlineData("a.test:")]
    [InlineData("a test")]
    [InlineData("a.test\r\nx")]
    [InlineData("*.a.test")]
    [InlineData(".a.test")]
    [InlineData("a..test")]
    [InlineData("a/b")]
    [InlineData("[::1]")]
    [InlineData("fe80::1%eth0")]
    [InlineData("user@a.test")]
    public void PX_4_invalid_decision_host_is_refused(string host)
    {
        var decision = Policy(["*"]).Decide(host, "/");
        Assert.False(decision.Allowed);
        Assert.Equal(EgressReason.InvalidHost, decision.Reason);
        Assert.Null(decision.Block!.Host);
    }

    [Fact]
    public void PX_4_over_long_host_is_refused() =>
        Assert.Equal(EgressReason.InvalidHost, Policy(["*"]).Decide(new string('a', 300), "/").Reason);

    [Theory]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("10.199.1.100")]
    [InlineData("under_score.test")]
    public void PX_4_ip_literals_and_plain_names_are_valid_hosts(string host) =>
        Assert.True(Policy(["*"]).Decide(host, "/").Allowed);

    [Fact]
    public void PX_16_requests_to_the_proxy_address_are_judged_like_any_host()
    {
        Assert.False(Policy(["a.test"]).Decide("10.199.1.100", "/").Allowed);
        Assert.True(Policy(["10.199.1.100"]).Decide("10.199.1.100", "/").Allowed);
    }

    [Fact]
    public void PX_20_evaluate_never_throws_and_blocks_incomplete_requests()
    {
        var policy = Policy(["*"]);
        Assert.False(policy.Evaluate(null!).Allowed);
        Assert.False(policy.Evaluate(new EgressRequest(null!, "/", "GET")).Allowed);
        Assert.False(policy.Evaluate(new EgressRequest("a.test", null!, "GET")).Allowed);
        Assert.False(policy.Evaluate(new EgressRequest("a.test", "/", null!)).Allowed);
    }

    [Fact]
    public void SEC_30_allowlist_with_empty_or_null_host_is_a_configuration_error_not_fail_open()
    {
        var location = new SourceLocation(".airut/network-allowlist.yaml", 4, 9);
        var error = Assert.Throws<SandboxConfigurationException>(() =>
            new AllowlistEgressPolicy(new Allowlist([], [new UrlPrefixRule(null!, "", [], null, location)])));
        Assert.Equal(location, error.Location);
        Assert.Equal("url_prefixes[0].host", error.Key);
        Assert.Throws<SandboxConfigurationException>(() => new AllowlistEgressPolicy(new Allowlist([""], [])));
    }

    [Fact]
    public void SEC_30_null_path_and_methods_mean_every_path_and_method()
    {
        var policy = new AllowlistEgressPolicy(new Allowlist([], [new UrlPrefixRule("a.test", null!, null!, null)]));
        Assert.True(policy.Decide("a.test", "/x", "DELETE").Allowed);
    }
}
