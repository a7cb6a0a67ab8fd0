using System.Net;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>The AWS re-signer in the proxy pipeline (MS-12 order, SIG-63 annotations, CRED-07 on plaintext).
/// The signature maths is covered by the signer's own known-answer tests; here the pipeline is.</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class AwsResigningTests
{
    private const string SurrogateKeyId = "AKIASURROGATE0000001";
    private const string RealKeyId = "AKIAREALKEYID0000001";

    private static readonly ProxySigningCredential Credential = new()
    {
        Label = "AWS",
        SurrogateAccessKeyId = SurrogateKeyId,
        SurrogateSecretAccessKey = "surrogateSecretKey000000000000000000000x",
        AccessKeyId = RealKeyId,
        SecretAccessKey = "realSecretAccessKey00000000000000000000xx",
        Scopes = ["*.scoped.test"],
    };

    [Fact]
    [Trait("Spec", "SIG-63")]
    [Trait("Spec", "MS-29")]
    public async Task SIG_63_a_surrogate_signed_request_to_a_scoped_host_is_re_signed_with_the_real_key()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()], signingCredentials: [Credential]);

        var response = await harness.RawAsync(SignedGet(), tls: true, sni: "s3.scoped.test");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var authorization = Assert.Single(Assert.Single(harness.Scoped.Requests).HeaderValues("Authorization"));
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={RealKeyId}/20260101/us-east-1/s3/aws4_request", authorization, StringComparison.Ordinal);
        Assert.DoesNotContain(SurrogateKeyId, harness.Scoped.AllText(), StringComparison.Ordinal);
        Assert.Equal(["ALLOWED GET https://s3.scoped.test/bucket/key -> 200 [masked: 1] [region: us-east-1]"], await harness.LogLinesAsync(1));
        Assert.DoesNotContain(RealKeyId, harness.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "CRED-07")]
    public async Task CRED_07_a_surrogate_signed_request_over_plaintext_is_not_re_signed()
    {
        await using var harness = await ProxyHarness.StartAsync(signingCredentials: [Credential]);

        var response = await harness.RawAsync(SignedGet());

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains($"Credential={SurrogateKeyId}/", Assert.Single(Assert.Single(harness.Scoped.Requests).HeaderValues("Authorization")), StringComparison.Ordinal);
        Assert.DoesNotContain(RealKeyId, harness.Scoped.AllText(), StringComparison.Ordinal);
        Assert.Equal(["ALLOWED GET http://s3.scoped.test/bucket/key -> 200"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "AWS-05")]
    public async Task AWS_05_a_credential_minting_call_is_blocked_before_any_upstream_contact()
    {
        await using var harness = await ProxyHarness.StartAsync(signingCredentials: [Credential]);

        var response = await harness.RawAsync(SignedGet(service: "sts", host: "sts.scoped.test"), tls: true, sni: "sts.scoped.test");

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.Equal(0, harness.Scoped.ConnectionCount);
        Assert.Equal(["BLOCKED GET https://sts.scoped.test/bucket/key -> 403"], await harness.LogLinesAsync(1));
    }

    private static string SignedGet(string service = "s3", string host = "s3.scoped.test") =>
        $"GET /bucket/key HTTP/1.1\r\nHost: {host}\r\nX-Amz-Date: 20260101T000000Z\r\n" +
        "X-Amz-Content-Sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n" +
        $"Authorization: AWS4-HMAC-SHA256 Credential={SurrogateKeyId}/20260101/us-east-1/{service}/aws4_request, " +
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + new string('0', 64) + "\r\nConnection: close\r\n\r\n";
}
