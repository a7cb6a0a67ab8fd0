using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class HostMatchingTests
{
    [Theory]
    [InlineData("Api.GitHub.com", "api.github.com")]
    [InlineData("api.github.com", "API.GITHUB.COM")]
    [InlineData("*.GitHub.com", "x.github.COM")]
    public void AL_16_host_match_is_case_insensitive(string pattern, string host) =>
        Assert.True(new HostPattern(pattern).IsMatch(host));

    [Fact]
    public void AL_16_star_matches_across_labels() =>
        Assert.True(new HostPattern("*.github.com").IsMatch("a.b.github.com"));

    [Fact]
    public void AL_16_star_dot_does_not_match_the_apex() =>
        Assert.False(new HostPattern("*.github.com").IsMatch("github.com"));

    [Fact]
    public void AL_16_star_without_dot_matches_lookalike_hosts() =>
        Assert.True(new HostPattern("*github.com").IsMatch("evilgithub.com"));

    [Theory]
    [InlineData("a.test")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void AL_16_lone_star_matches_every_host(string host) =>
        Assert.True(Policy(["*"]).Decide(host, "/").Allowed);

    [Fact]
    public void AL_16_no_trailing_dot_normalisation() =>
        Assert.False(Policy(["api.github.com"]).Decide("api.github.com.", "/").Allowed);

    [Fact]
    public void AL_16_no_idna_conversion() =>
        Assert.False(new HostPattern("xn--bcher-kva.example").IsMatch("bücher.example"));

    [Theory]
    [InlineData("allowed.test")]
    [InlineData("evil-allowed.test")]
    [InlineData("xallowed.test")]
    [InlineData("allowed.test.evil.test")]
    [InlineData("aXallowedYtest")]
    [InlineData("a.allowed.test.evil")]
    [InlineData("")]
    public void HS_05_star_dot_pattern_refuses_lookalikes(string host) =>
        Assert.False(new HostPattern("*.allowed.test").IsMatch(host));

    [Theory]
    [InlineData("a.allowed.test")]
    [InlineData("a.b.allowed.test")]
    [InlineData("A.ALLOWED.TEST")]
    public void HS_05_star_dot_pattern_matches_subdomains(string host) =>
        Assert.True(new HostPattern("*.allowed.test").IsMatch(host));

    [Theory]
    [InlineData("allowed.test.evil.test")]
    [InlineData("evil.allowed.test")]
    public void HS_05_exact_host_matches_only_itself(string host) =>
        Assert.False(new HostPattern("allowed.test").IsMatch(host));

    [Theory]
    [InlineData("api1.allowed.test", true)]
    [InlineData("api12.allowed.test", false)]
    [InlineData("api.allowed.test", false)]
    public void HS_05_question_mark_host_matches_one_character(string host, bool match) =>
        Assert.Equal(match, new HostPattern("api?.allowed.test").IsMatch(host));

    [Fact]
    public void SEC_10_wildcard_host_matches_deeper_subdomains_but_not_apex()
    {
        var policy = Policy(["*.x.com"]);
        Assert.True(policy.Decide("a.b.c.x.com", "/").Allowed);
        Assert.False(policy.Decide("x.com", "/").Allowed);
        Assert.True(Policy(["*x.com"]).Decide("evilx.com", "/").Allowed);
    }

    [Fact]
    public void SEC_10_hosts_compare_case_insensitively_and_paths_case_sensitively()
    {
        var policy = Policy(Rule("A.COM", "/API*"));
        Assert.True(policy.Decide("a.com", "/API/x").Allowed);
        Assert.False(policy.Decide("a.com", "/api/x").Allowed);
    }

    [Fact]
    public void AL_20_pattern_with_port_never_matches() =>
        Assert.False(Policy(["example.com:8080"]).Decide("example.com", "/").Allowed);
}
