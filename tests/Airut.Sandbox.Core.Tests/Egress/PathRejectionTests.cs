using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Egress.PolicyBuilder;

namespace Airut.Sandbox.Core.Tests.Egress;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class PathRejectionTests
{
    // The PATH cases' entry: {host: allowed.test, path: /pub/*}.
    private static readonly IEgressPolicy Pub = Policy(Rule("allowed.test", "/pub/*"));

    private static EgressDecision Get(string path) => Pub.Decide("allowed.test", path);

    [Theory]
    [InlineData("/a%2Fb", "/a/b")]
    [InlineData("/%67raphql", "/graphql")]
    [InlineData("/a%252Fb", "/a%2Fb")]
    [InlineData("/a%zzb", "/a%zzb")]
    [InlineData("/a%2", "/a%2")]
    [InlineData("/a%", "/a%")]
    [InlineData("/a+b", "/a+b")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/bad%FF", "/bad\uFFFD")]
    [InlineData("/raw-é%20x", "/raw-é x")]
    public void PX_7_percent_decoding_happens_exactly_once(string raw, string decoded) =>
        Assert.Equal(decoded, PercentDecoding.DecodeOnce(raw));

    [Theory]
    [InlineData("/pub/a\0b")]
    [InlineData("/pub/a%00b")]
    [InlineData("/pub/x?q=%00")]
    public void PX_8_SEC_5_nul_literal_or_encoded_is_refused(string path) =>
        Assert.Equal(EgressReason.UnsafePath, Get(path).Reason);

    [Theory]
    [InlineData("/pub/a\\b")]
    [InlineData("/pub/a%5Cb")]
    [InlineData("/pub/a%5cb")]
    [InlineData("/pub/x?q=%5C")]
    public void PX_8_SEC_6_backslash_literal_or_encoded_is_refused(string path) =>
        Assert.Equal(EgressReason.UnsafePath, Get(path).Reason);

    [Theory]
    [InlineData("/pub/x?y=/../")]
    [InlineData("/pub/x/..")]
    [InlineData("/pub/../priv/secret")]
    public void PX_8_traversal_anywhere_in_path_and_query_is_refused(string path) =>
        Assert.Equal(EgressReason.UnsafePath, Get(path).Reason);

    [Theory]
    [InlineData("/pub/./x")]
    [InlineData("/pub/..hidden")]
    [InlineData("/pub/...")]
    [InlineData("/pub/%252e%252e/x")]
    public void PX_8_harmless_dot_forms_are_not_refused(string path) =>
        Assert.True(Get(path).Allowed);

    [Theory]
    [InlineData("/pub/x/..?a=1")]
    [InlineData("/pub/x/%2e%2e?")]
    [InlineData("/pub/x/%2E%2e%3Fa")]
    [InlineData("/pub/x/..%23frag")]
    public void PX_9_SEC_7_dot_dot_segment_before_query_or_fragment_is_refused(string path) =>
        Assert.Equal(EgressReason.UnsafePath, Get(path).Reason);

    [Theory]
    [InlineData("/pub#/../priv/secret")]
    [InlineData("/pub/x#frag")]
    public void PX_9_raw_hash_in_the_target_is_refused(string path) =>
        Assert.Equal(EgressReason.UnsafePath, Get(path).Reason);

    [Theory]
    [InlineData("/pub/../priv/secret")]
    [InlineData("/pub/x/../../priv/secret")]
    [InlineData("/pub/..")]
    [InlineData("/pub/./../priv/secret")]
    public void PATH_01_literal_dot_segments_are_refused(string path) =>
        Assert.False(Get(path).Allowed);

    [Theory]
    [InlineData("/pub/..hidden")]
    [InlineData("/pub/...")]
    public void PATH_01_control_dotted_names_are_allowed(string path) =>
        Assert.True(Get(path).Allowed);

    [Theory]
    [InlineData("/pub/%2e%2e/priv/secret")]
    [InlineData("/pub/%2E%2e/priv/secret")]
    [InlineData("/pub/.%2e/priv/secret")]
    [InlineData("/pub/%2e./priv/secret")]
    [InlineData("/pub/..%2fpriv%2fsecret")]
    [InlineData("/pub%2f..%2fpriv/secret")]
    [InlineData("/pub/%2e%2e%2fpriv/secret")]
    public void PATH_02_percent_encoded_dots_and_slashes_are_refused(string path) =>
        Assert.False(Get(path).Allowed);

    [Fact]
    public void PATH_02_control_encoded_slash_inside_allowed_prefix_is_allowed() =>
        Assert.True(Get("/pub/a%2Fb").Allowed);

    [Theory]
    [InlineData("/pub/%252e%252e/priv/secret")]
    [InlineData("/pub/%252e%252e%252fpriv%252fsecret")]
    [InlineData("/pub/%25252e")]
    public void PATH_03_double_encoding_is_matched_once_decoded_and_never_further(string path)
    {
        // Allowed as /pub/%2e%2e/... (one decode): the proxy forwards the raw target unchanged.
        var parsed = RequestPath.TryParse(path, out _);
        Assert.NotNull(parsed);
        Assert.Equal(PercentDecoding.DecodeOnce(path), parsed.DecodedPath);
        Assert.DoesNotContain("..", parsed.DecodedPath, StringComparison.Ordinal);
        Assert.True(Get(path).Allowed);
    }

    [Theory]
    [InlineData("/pub/..\\priv\\secret")]
    [InlineData("/pub/%5c..%5cpriv")]
    [InlineData("/pub\\x")]
    [InlineData("/pub/%00/../priv")]
    [InlineData("/pub/x%00.json")]
    [InlineData("/pub/a%0d%0aX-Injected:%201")]
    [InlineData("/pub/a%09b")]
    [InlineData("/pub/a%7Fb")]
    [InlineData("/pub#/../priv/secret")]
    [InlineData("/pub/a\tb")]
    [InlineData("/pub/a b")]
    [InlineData("/pub/a\r\nb")]
    public void PATH_04_forbidden_characters_are_refused(string path)
    {
        var decision = Get(path);
        Assert.False(decision.Allowed);
        Assert.Equal(EgressReason.UnsafePath, decision.Reason);
        Assert.NotNull(decision.Block!.Detail);
    }

    [Theory]
    [InlineData("/pub/..;/priv/secret")]
    [InlineData("/pub/%2e%2e;x/priv/secret")]
    public void PX_8_dot_dot_with_path_parameters_is_refused_hardened(string path) =>
        Assert.Equal(EgressReason.UnsafePath, Get(path).Reason);

    [Theory]
    [InlineData("/repos/foo%2Fbar", "/repos/foo*", true)]
    [InlineData("/api/foo%23bar", "/api/*", true)]
    [InlineData("/%67raphql", "/graphql", true)]
    [InlineData("/a%252Fb", "/a/b", false)]
    [InlineData("/other%2Fpath", "/repos/*", false)]
    public void SEC_4_single_percent_decoding_before_matching(string path, string pattern, bool allowed) =>
        Assert.Equal(allowed, Policy(Rule("h.test", pattern)).Decide("h.test", path).Allowed);
}
