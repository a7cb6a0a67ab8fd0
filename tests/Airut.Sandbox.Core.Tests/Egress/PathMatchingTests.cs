using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class PathMatchingTests
{
    [Theory]
    [InlineData("/repos/foo", "/repos/foo", true)]
    [InlineData("/repos/foo", "/repos/foo/bar", false)]
    [InlineData("/repos/foo", "/repos/foobar", false)]
    [InlineData("/repos/foo", "/repos/foo/", false)]
    [InlineData("/repos/foo/*", "/repos/foo/", true)]
    [InlineData("/repos/foo/*", "/repos/foo/bar", true)]
    [InlineData("/repos/foo/*", "/repos/foo/x/y", true)]
    [InlineData("/repos/foo/*", "/repos/foo", false)]
    [InlineData("/repos/foo/*", "/repos/foobar", false)]
    [InlineData("/repos/foo*", "/repos/foo", true)]
    [InlineData("/repos/foo*", "/repos/foobar", true)]
    [InlineData("/repos/foo*", "/repos/foo/bar", true)]
    [InlineData("/repos/foo*", "/repos/fo", false)]
    [InlineData("/api/*/data", "/api/v1/data", true)]
    [InlineData("/api/*/data", "/api/v1/other", false)]
    [InlineData("/v?/api", "/v1/api", true)]
    [InlineData("/v?/api", "/v10/api", false)]
    [InlineData("/API*", "/API/x", true)]
    [InlineData("/API*", "/api/x", false)]
    public void AL_17_reference_table(string pattern, string path, bool allowed) =>
        Assert.Equal(allowed, Policy(Rule("h.test", pattern)).Decide("h.test", path).Allowed);

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/any/thing?x=1")]
    public void AL_17_empty_pattern_matches_every_path(string path) =>
        Assert.True(Policy(Rule("h.test")).Decide("h.test", path).Allowed);

    [Fact]
    public void AL_17_SEC_8_exact_pattern_refuses_a_query_string() =>
        Assert.False(Policy(Rule("h.test", "/graphql")).Decide("h.test", "/graphql?x").Allowed);

    [Fact]
    public void AL_17_SEC_8_star_pattern_admits_a_query_string() =>
        Assert.True(Policy(Rule("h.test", "/v1/messages*")).Decide("h.test", "/v1/messages?beta=true").Allowed);

    [Fact]
    public void SEC_9_no_path_normalisation()
    {
        Assert.False(Policy(Rule("h.test", "/graphql")).Decide("h.test", "/graphql/").Allowed);
        Assert.False(Policy(Rule("h.test", "/repos/foo/*")).Decide("h.test", "/repos/foo").Allowed);
        Assert.False(Policy(Rule("h.test", "/a/b")).Decide("h.test", "//a/b").Allowed);
    }

    [Theory]
    [InlineData("/files/secret.txt?x=.tar.gz")]
    [InlineData("/files/secret.txt?.tar.gz")]
    [InlineData("/files/secret.txt%3F.tar.gz")]
    [InlineData("/files/secret.txt%3f.tar.gz")]
    public void PATH_06_query_string_never_satisfies_the_path_pattern(string path) =>
        Assert.False(Policy(Rule("allowed.test", "/files/*.tar.gz", "GET")).Decide("allowed.test", path).Allowed);

    [Fact]
    public void PATH_06_leading_star_pattern_is_not_satisfied_by_the_query() =>
        Assert.False(Policy(Rule("allowed.test", "*/files/a.tar.gz")).Decide("allowed.test", "/priv/secret?/files/a.tar.gz").Allowed);

    [Fact]
    public void PATH_06_control_real_archive_with_query_is_allowed() =>
        Assert.True(Policy(Rule("allowed.test", "/files/*.tar.gz", "GET")).Decide("allowed.test", "/files/a.tar.gz?sig=1").Allowed);

    [Theory]
    [InlineData("/files/what%3F")]
    [InlineData("/files/what%3f?x=1")]
    public void PATH_06_encoded_question_mark_in_the_path_is_refused(string path) =>
        Assert.Equal(EgressReason.UnsafePath, Policy(Rule("allowed.test", "/files/*")).Decide("allowed.test", path).Reason);

    [Fact]
    public void PATH_06_encoded_question_mark_in_the_query_is_fine() =>
        Assert.True(Policy(Rule("allowed.test", "/files/*")).Decide("allowed.test", "/files/a?q=what%3F").Allowed);

    [Fact]
    public void PX_10_decision_matches_the_decoded_path()
    {
        var policy = Policy(Rule("h.test", "/a b", "PUT"));
        Assert.True(policy.Decide("h.test", "/a%20b", "PUT").Allowed);
    }
}
