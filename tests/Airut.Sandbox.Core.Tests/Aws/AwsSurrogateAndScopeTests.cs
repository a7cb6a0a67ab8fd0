using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Aws.AwsTestKit;

namespace Airut.Sandbox.Core.Tests.Aws;

/// <summary>Surrogate generation (SIG-01..SIG-06), the surrogate map, scope globs (MS-15) and log redaction (SEC-13).</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class AwsSurrogateAndScopeTests
{
    [Theory]
    [Trait("Spec", "SIG-01")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "AKIA")]
    [InlineData("ASIAIOSFODNN7EXAMPLE", "ASIA")]
    [InlineData("AKIDEXAMPLE", "")]
    public void SIG_01_key_id_surrogate_keeps_prefix_length_and_character_classes(string real, string prefix)
    {
        var surrogate = AwsSurrogateGenerator.Create(Credential(real, ExampleSecret)).SurrogateAccessKeyId;

        Assert.Equal(real.Length, surrogate.Length);
        Assert.StartsWith(prefix, surrogate, StringComparison.Ordinal);
        Assert.NotEqual(real, surrogate);
        Assert.All(surrogate[prefix.Length..], c => Assert.True(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)));
    }

    [Fact]
    [Trait("Spec", "SIG-02")]
    public void SIG_02_secret_surrogate_keeps_length_and_maps_specials_to_dash_underscore()
    {
        var surrogate = AwsSurrogateGenerator.Create(Credential()).SurrogateSecretAccessKey;

        Assert.Equal(40, surrogate.Length);
        Assert.NotEqual(ExampleSecret, surrogate);
        Assert.All(surrogate, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    [Fact]
    [Trait("Spec", "SIG-03")]
    public void SIG_03_session_token_surrogate_is_512_alphanumerics_and_fresh_each_time()
    {
        var first = AwsSurrogateGenerator.Create(Credential(token: "real-token")).SurrogateSessionToken!;
        var second = AwsSurrogateGenerator.Create(Credential(token: "real-token")).SurrogateSessionToken!;

        Assert.Equal(512, first.Length);
        Assert.All(first, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.NotEqual(first, second);
    }

    [Theory]
    [Trait("Spec", "CFG-34")]
    [InlineData(null)]
    [InlineData("")]
    public void CFG_34_no_or_empty_session_token_gives_no_surrogate_and_no_env_var(string? token)
    {
        var credential = AwsSurrogateGenerator.Create(Credential(token: token));

        Assert.Null(credential.SurrogateSessionToken);
        Assert.Null(credential.RealSessionToken);
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], credential.ContainerEnvironment().Select(e => e.Key));
    }

    [Fact]
    [Trait("Spec", "CFG-33")]
    public void CFG_33_container_environment_holds_only_surrogates_under_the_configured_names()
    {
        var real = new SigningCredential("prod", new SecretValue(ExampleKeyId), new SecretValue(ExampleSecret), new SecretValue("tok"),
            "MY_AKI", "MY_SECRET", "MY_TOKEN", ["*.amazonaws.com"]);
        var credential = AwsSurrogateGenerator.Create(real);

        var env = credential.ContainerEnvironment().ToDictionary(e => e.Key, e => e.Value);

        Assert.Equal(credential.SurrogateAccessKeyId, env["MY_AKI"]);
        Assert.Equal(credential.SurrogateSecretAccessKey, env["MY_SECRET"]);
        Assert.Equal(credential.SurrogateSessionToken, env["MY_TOKEN"]);
        Assert.DoesNotContain(env.Values, v => v == ExampleKeyId || v == ExampleSecret || v == "tok");
    }

    [Theory]
    [Trait("Spec", "SIG-06")]
    [InlineData("", ExampleSecret)]
    [InlineData(ExampleKeyId, "")]
    public void SIG_06_empty_key_id_or_secret_is_rejected_naming_the_label_only(string keyId, string secret)
    {
        var error = Assert.Throws<SandboxConfigurationException>(() => AwsSurrogateGenerator.Create(Credential(keyId, secret)));

        Assert.Contains(keyId.Length == 0 ? "signing_credentials.aws.access_key_id" : "signing_credentials.aws.secret_access_key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "SEC-10")]
    public void SEC_10_a_key_id_that_is_only_a_prefix_is_rejected_rather_than_copied_into_the_container()
    {
        var error = Assert.Throws<SandboxConfigurationException>(() => AwsSurrogateGenerator.Create(Credential("AKIA1234", "short-secret-value")));

        Assert.Contains("signing_credentials.aws.access_key_id", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA1234", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "SIG-05")]
    public void SIG_05_the_map_gives_every_credential_distinct_surrogates_and_a_surrogate_only_environment()
    {
        var first = Credential(scopes: "a.test");
        var second = new SigningCredential("second", new SecretValue("ASIAIOSFODNN7EXAMPLE"), new SecretValue(ExampleSecret), new SecretValue("tok"),
            "SECOND_ID", "SECOND_SECRET", "SECOND_TOKEN", ["b.test"]);

        var map = AwsCredentialMap.Create([first, second]);

        var env = map.ContainerEnvironment();
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SECOND_ID", "SECOND_SECRET", "SECOND_TOKEN"], env.Select(e => e.Key));
        Assert.DoesNotContain(env, e => e.Value == ExampleKeyId || e.Value == ExampleSecret || e.Value == "tok" || e.Value == "ASIAIOSFODNN7EXAMPLE");
        Assert.Equal(2, map.Credentials.Select(c => c.SurrogateAccessKeyId).Distinct().Count());
        Assert.Equal("AwsCredentialMap(2 credentials)", map.ToString());
    }

    [Fact]
    [Trait("Spec", "SIG-04")]
    public void SIG_04_the_map_finds_credentials_by_surrogate_key_id_only()
    {
        var credential = AwsSurrogateGenerator.Create(Credential(scopes: "*.scoped.test"));
        var map = new AwsCredentialMap([credential]);

        Assert.True(map.TryGet(credential.SurrogateAccessKeyId, out var found));
        Assert.Same(credential, found);
        Assert.False(map.TryGet(ExampleKeyId, out _));
        Assert.True(map.IsSigningHost("s3.scoped.test"));
        Assert.False(map.IsSigningHost("scoped.test"));
    }

    [Theory]
    [Trait("Spec", "MS-15")]
    [Trait("Spec", "SIG-14")]
    [InlineData("*.scoped.test", "a.b.scoped.test", true)]
    [InlineData("*.scoped.test", "scoped.test", false)]
    [InlineData("*.Scoped.test", "S3.SCOPED.test", true)]
    [InlineData("s3.amazonaws.com", "S3.AmazonAWS.com", true)]
    [InlineData("s3.amazonaws.com", "xs3.amazonaws.com", false)]
    [InlineData("s3.[ab].test", "s3.a.test", false)] // no * or ?: compared literally
    [InlineData("*", "anything.at.all", true)]
    public void MS_15_signing_scopes_use_allowlist_host_semantics(string pattern, string host, bool expected)
    {
        var credential = AwsSurrogateGenerator.Create(Credential(scopes: pattern));
        var map = new AwsCredentialMap([credential]);

        Assert.Equal(expected, map.IsInScope(credential.SurrogateAccessKeyId, host));
        Assert.Equal(expected, map.IsSigningHost(host));
        Assert.False(map.IsInScope("AKIAOTHER00000000000", host));
    }

    [Fact]
    [Trait("Spec", "SEC-13")]
    public async Task SEC_13_a_resigned_presigned_url_as_rendered_for_the_network_log_holds_no_real_material()
    {
        var credential = AwsSurrogateGenerator.Create(Credential(token: "Real/Session+Token==", scopes: "*.scoped.test"));
        var (signer, _) = Signer(credentials: credential);
        var request = Request("GET", "b.s3.scoped.test",
            $"/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={credential.SurrogateAccessKeyId}%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Security-Token={credential.SurrogateSessionToken}&X-Amz-Signature={Hex(64)}",
            [new("Host", "b.s3.scoped.test")]);
        Assert.Equal(SigningOutcome.Resigned, (await signer.SignAsync(request, CancellationToken.None)).Outcome);
        var signature = request.PathAndQuery[(request.PathAndQuery.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + 16)..];

        var logged = NetworkLogUrl.Create(isTls: true, request.Host, 443, request.PathAndQuery).Text;

        Assert.DoesNotContain(ExampleKeyId, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("Real", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, logged, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=300", logged, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "SEC-13")]
    public void SEC_13_redaction_removes_presigned_credential_token_and_signature_values_however_the_names_are_spelled()
    {
        var target = $"/k?a=1&X-Amz-Credential={ExampleKeyId}%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&x-amz-security-token=TOKENVALUE&X%2DAmz%2DSignature=abcdef&X-Amz-Expires=300";

        var redacted = AwsLogRedaction.RedactTarget(target);

        Assert.Equal("/k?a=1&X-Amz-Credential=REDACTED&x-amz-security-token=REDACTED&X%2DAmz%2DSignature=REDACTED&X-Amz-Expires=300", redacted);
        Assert.Equal("/plain/path", AwsLogRedaction.RedactTarget("/plain/path"));
    }

    [Fact]
    [Trait("Spec", "SEC-13")]
    public void SEC_13_printing_a_surrogate_credential_shows_no_real_value()
    {
        var credential = AwsSurrogateGenerator.Create(Credential(token: "RealTokenValue1234"));

        var printed = credential.ToString();

        Assert.Contains(credential.SurrogateAccessKeyId, printed, StringComparison.Ordinal);
        Assert.DoesNotContain("RealTokenValue1234", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(ExampleKeyId, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(ExampleSecret, printed, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "SEC-13")]
    public void SEC_13_redaction_removes_authorization_credential_and_signature_and_token_headers()
    {
        var auth = $"AWS4-HMAC-SHA256 Credential={ExampleKeyId}/20150830/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123";

        Assert.Equal("AWS4-HMAC-SHA256 Credential=REDACTED, SignedHeaders=host;x-amz-date, Signature=REDACTED", AwsLogRedaction.RedactHeader("authorization", auth));
        Assert.Equal("REDACTED", AwsLogRedaction.RedactHeader("X-Amz-Security-Token", "TOKENVALUE"));
        Assert.Equal("text/plain", AwsLogRedaction.RedactHeader("Content-Type", "text/plain"));
    }
}
