using System.Text;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Aws.AwsTestKit;

namespace Airut.Sandbox.Core.Tests.Aws;

/// <summary>Detection, scope, foreign credentials, presign cap, minting guard, session tokens and failure handling
/// of <see cref="AwsRequestSigner"/> (credentials-cli.md §3, attacks.md AWS-01..AWS-07).</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class AwsRequestSignerTests
{
    private const string S3Host = "bucket.s3.scoped.test";
    private const string RealToken = "IQoJb3JpZ2luX2VjE+/real//token==";
    private static readonly AwsSurrogateCredential Scoped =
        AwsSurrogateGenerator.Create(Credential(ExampleKeyId, ExampleSecret, RealToken, "*.scoped.test"));

    [Fact]
    [Trait("Spec", "AWS-01")]
    [Trait("Spec", "SIG-14")]
    public async Task AWS_01_surrogate_header_request_to_a_host_outside_the_scope_is_left_untouched()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = HeaderRequest("open.test", Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        var before = request.Headers.ToList();

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.NotApplicable, result.Outcome);
        Assert.Equal(before, request.Headers);
        Assert.Null(result.LogAnnotation);
    }

    [Fact]
    [Trait("Spec", "AWS-01")]
    [Trait("Spec", "SIG-15")]
    public async Task AWS_01_surrogate_presigned_url_to_a_host_outside_the_scope_is_left_untouched()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var target = PresignedTarget(Scoped.SurrogateAccessKeyId, "s3", 300);
        var request = Request("GET", "open.test", target, [new("Host", "open.test")]);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.NotApplicable, result.Outcome);
        Assert.Equal(target, request.PathAndQuery);
    }

    [Fact]
    [Trait("Spec", "AWS-02")]
    [Trait("Spec", "SIG-60")]
    public async Task AWS_02_scoped_request_gets_the_real_key_id_and_one_real_session_token_and_keeps_its_region()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "eu-west-3", "s3", signedHeaders: "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
        request.Headers.Add(new("X-Amz-Security-Token", Scoped.SurrogateSessionToken!));
        request.Headers.Add(new("x-amz-security-token", "attacker-token"));

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Resigned, result.Outcome);
        Assert.Equal("aws", result.CredentialLabel);
        Assert.Equal("[masked: 1] [region: eu-west-3]", result.LogAnnotation);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={ExampleKeyId}/20150830/eu-west-3/s3/aws4_request, ", Header(request, "Authorization"), StringComparison.Ordinal);
        var tokens = request.Headers.Where(h => h.Name.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Single(tokens);
        Assert.True(tokens[0].Value == RealToken, "the token header does not hold the real token");
        Assert.DoesNotContain(request.Headers, h => h.Value.Contains(ExampleSecret, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "CRED-07")]
    public async Task CRED_07_scoped_requests_over_plaintext_http_keep_their_surrogates()
    {
        var (signer, log) = Signer(credentials: Scoped);
        var header = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        header.Headers.Add(new("x-amz-security-token", Scoped.SurrogateSessionToken!));
        var presigned = Request("GET", S3Host, PresignedTarget(Scoped.SurrogateAccessKeyId, "s3", 300), [new("Host", S3Host)]);
        var before = header.Headers.ToList();
        var target = presigned.PathAndQuery;
        header = header with { Scheme = "http", Port = 80 };
        presigned = presigned with { Scheme = "http", Port = 80 };

        var headerResult = await signer.SignAsync(header, CancellationToken.None);
        var presignedResult = await signer.SignAsync(presigned, CancellationToken.None);

        Assert.Equal(SigningOutcome.NotApplicable, headerResult.Outcome);
        Assert.Equal("[withheld: plaintext http]", headerResult.LogAnnotation);
        Assert.Equal(SigningOutcome.NotApplicable, presignedResult.Outcome);
        Assert.Equal(before, header.Headers);
        Assert.Equal(target, presigned.PathAndQuery);
        Assert.Equal(2, log.Lines.Count(l => l.Contains("WITHHELD AWS re-signing for bucket.s3.scoped.test", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait("Spec", "SIG-62")]
    public async Task SIG_62_the_real_session_token_is_signed_in_the_header_and_percent_encoded_in_a_presigned_query()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var header = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3", signedHeaders: "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
        header.Headers.Add(new("X-Amz-Security-Token", Scoped.SurrogateSessionToken!));
        var presigned = Request("GET", S3Host, PresignedTarget(Scoped.SurrogateAccessKeyId, "s3", 300) + "&X-Amz-Security-Token=" + Scoped.SurrogateSessionToken, [new("Host", S3Host)]);

        await signer.SignAsync(header, CancellationToken.None);
        await signer.SignAsync(presigned, CancellationToken.None);

        // Independent recomputation over the request as it now stands: the signature covers the real token.
        var expectedHeader = RecomputeHeaderSignature(header, "us-east-1", "s3", "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
        Assert.EndsWith("Signature=" + expectedHeader, Header(header, "Authorization"), StringComparison.Ordinal);
        Assert.Contains("X-Amz-Security-Token=" + AwsUriEncoding.Encode(RealToken, keepSlash: false), presigned.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain(Scoped.SurrogateSessionToken!, presigned.PathAndQuery, StringComparison.Ordinal);
        var query = presigned.PathAndQuery[(presigned.PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var canonical = AwsCanonicalRequest.Build("GET", "/key", AwsCanonicalRequest.CanonicalQuery(query, excludeSignature: true), ["host"], [new("host", S3Host)], "UNSIGNED-PAYLOAD");
        Assert.Contains("X-Amz-Security-Token=" + AwsUriEncoding.Encode(RealToken, keepSlash: false), canonical, StringComparison.Ordinal);
        var signature = SigV4Signature.Create(ExampleSecret, "20150830", "us-east-1", "s3").SignCanonicalRequest("20150830T123600Z", "20150830/us-east-1/s3/aws4_request", canonical).Signature;
        Assert.Contains("&X-Amz-Signature=" + signature + "&", presigned.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "AWS-06")]
    public async Task AWS_06_foreign_aws_credentials_on_a_signing_host_are_stripped()
    {
        var (signer, log) = Signer(credentials: Scoped);
        var request = HeaderRequest("attacker-bucket.s3.scoped.test", "AKIAATTACKER00000000", "us-east-1", "s3");
        request.Headers.Add(new("X-Amz-Security-Token", "attacker-token"));

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Stripped, result.Outcome);
        Assert.Equal("[dropped: 2]", result.LogAnnotation);
        Assert.DoesNotContain(request.Headers, h => h.Name is "Authorization" or "X-Amz-Security-Token");
        Assert.Contains(log.Lines, l => l.Contains("STRIPPED", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "AWS-06")]
    public async Task AWS_06_foreign_aws_credentials_on_other_hosts_and_non_aws_authorization_are_not_touched()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var foreignElsewhere = HeaderRequest("open.test", "AKIAATTACKER00000000", "us-east-1", "s3");
        var bearer = Request("GET", S3Host, "/", [new("Host", S3Host), new("Authorization", "Bearer abc")]);

        Assert.Equal(SigningOutcome.NotApplicable, (await signer.SignAsync(foreignElsewhere, CancellationToken.None)).Outcome);
        Assert.Equal(SigningOutcome.NotApplicable, (await signer.SignAsync(bearer, CancellationToken.None)).Outcome);
        Assert.Contains(foreignElsewhere.Headers, h => h.Name == "Authorization");
        Assert.Equal("Bearer abc", Header(bearer, "Authorization"));
    }

    [Fact]
    [Trait("Spec", "AWS-06")]
    public async Task AWS_06_foreign_presigned_credentials_on_a_signing_host_are_blocked()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = Request("GET", S3Host, PresignedTarget("AKIAATTACKER00000000", "s3", 300), [new("Host", S3Host)]);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, result.Outcome);
        Assert.Equal("aws_foreign_credentials", result.Block!.Error);
    }

    [Fact]
    [Trait("Spec", "AWS-06")]
    public async Task AWS_06_surrogate_and_attacker_authorization_headers_together_are_blocked()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        request.Headers.Add(new("Authorization", HeaderRequest(S3Host, "AKIAATTACKER00000000", "us-east-1", "s3").Headers.Single(h => h.Name == "Authorization").Value));

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, result.Outcome);
        Assert.Equal("aws_ambiguous_credentials", result.Block!.Error);
    }

    [Fact]
    [Trait("Spec", "AWS-06")]
    public async Task AWS_06_surrogate_authorization_with_attacker_presigned_parameters_is_blocked()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        request.PathAndQuery = PresignedTarget("AKIAATTACKER00000000", "s3", 300);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, result.Outcome);
    }

    [Theory]
    [Trait("Spec", "AWS-06")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AWS_06_duplicate_presigned_credentials_are_blocked_in_either_order(bool surrogateFirst)
    {
        var (signer, _) = Signer(credentials: Scoped);
        var ours = $"X-Amz-Credential={Scoped.SurrogateAccessKeyId}%2F20150830%2Fus-east-1%2Fs3%2Faws4_request";
        const string theirs = "X-Amz-Credential=AKIAATTACKER00000000%2F20150830%2Fus-east-1%2Fs3%2Faws4_request";
        var (first, second) = surrogateFirst ? (ours, theirs) : (theirs, ours);
        var target = $"/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&{first}&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&{second}&X-Amz-Signature={Hex(64, '2')}";
        var request = Request("GET", S3Host, target, [new("Host", S3Host)]);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, result.Outcome);
        Assert.Equal(target, request.PathAndQuery);
    }

    [Theory]
    [Trait("Spec", "AWS-06")]
    [InlineData("x-amz-credential=AKIAATTACKER00000000%2F20150830%2Fus-east-1%2Fs3%2Faws4_request")]
    [InlineData("X-Amz-Signature=abcd")]
    [InlineData("X-AMZ-DATE=20150830T123600Z")]
    public async Task AWS_06_duplicate_or_odd_case_presigned_parameters_are_blocked_on_signing_hosts_only(string extra)
    {
        var (signer, _) = Signer(credentials: Scoped);
        var target = PresignedTarget(Scoped.SurrogateAccessKeyId, "s3", 300) + "&" + extra;

        var scoped = await signer.SignAsync(Request("GET", S3Host, target, [new("Host", S3Host)]), CancellationToken.None);
        var elsewhere = await signer.SignAsync(Request("GET", "open.test", target, [new("Host", "open.test")]), CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, scoped.Outcome);
        Assert.Equal(SigningOutcome.NotApplicable, elsewhere.Outcome);
    }

    [Fact]
    [Trait("Spec", "AWS-06")]
    public async Task AWS_06_a_lower_case_foreign_presigned_credential_alone_is_blocked_on_a_signing_host()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var target = PresignedTarget("AKIAATTACKER00000000", "s3", 300).Replace("X-Amz-Credential=", "x-amz-credential=", StringComparison.Ordinal);

        var result = await signer.SignAsync(Request("GET", S3Host, target, [new("Host", S3Host)]), CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, result.Outcome);
    }

    [Fact]
    [Trait("Spec", "SIG-38")]
    public async Task SIG_38_identical_duplicate_authorization_headers_collapse_to_one_resigned_header()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        request.Headers.Add(request.Headers.Single(h => h.Name == "Authorization"));

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Resigned, result.Outcome);
        Assert.Single(request.Headers, h => h.Name == "Authorization");
    }

    [Theory]
    [Trait("Spec", "AWS-05")]
    [InlineData("sts.scoped.test", "sts")]
    [InlineData("iam.scoped.test", "iam")]
    [InlineData("portal.sso.scoped.test", "sso")]
    [InlineData("cognito-identity.scoped.test", "cognito-identity")]
    [InlineData("sts.scoped.test", "s3")] // the host alone is enough
    public async Task AWS_05_credential_minting_services_are_blocked_by_default(string host, string service)
    {
        var (signer, _) = Signer(credentials: Scoped);
        var header = HeaderRequest(host, Scoped.SurrogateAccessKeyId, "us-east-1", service);
        var presigned = Request("GET", host, PresignedTarget(Scoped.SurrogateAccessKeyId, service, 300), [new("Host", host)]);

        var headerResult = await signer.SignAsync(header, CancellationToken.None);
        var presignedResult = await signer.SignAsync(presigned, CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, headerResult.Outcome);
        Assert.Equal("aws_credential_minting_blocked", headerResult.Block!.Error);
        Assert.Equal(SigningOutcome.Blocked, presignedResult.Outcome);
    }

    [Fact]
    [Trait("Spec", "AWS-05")]
    public async Task AWS_05_credential_minting_is_resigned_when_configured()
    {
        var (signer, _) = Signer(new AwsSigningOptions { AllowCredentialMinting = true }, credentials: Scoped);
        var request = HeaderRequest("sts.scoped.test", Scoped.SurrogateAccessKeyId, "us-east-1", "sts");

        Assert.Equal(SigningOutcome.Resigned, (await signer.SignAsync(request, CancellationToken.None)).Outcome);
    }

    [Theory]
    [Trait("Spec", "AWS-04")]
    [InlineData(604800, SigningOutcome.Blocked)]
    [InlineData(3601, SigningOutcome.Blocked)]
    [InlineData(3600, SigningOutcome.Resigned)]
    [InlineData(1, SigningOutcome.Resigned)]
    public async Task AWS_04_presigned_lifetime_above_the_cap_is_blocked(int expires, SigningOutcome outcome)
    {
        var (signer, _) = Signer(credentials: Scoped);
        var target = PresignedTarget(Scoped.SurrogateAccessKeyId, "s3", expires);
        var request = Request("GET", S3Host, target, [new("Host", S3Host)]);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        if (outcome == SigningOutcome.Blocked)
        {
            Assert.Equal("aws_presign_expires_too_long", result.Block!.Error);
            Assert.Equal(target, request.PathAndQuery);
        }
        else
        {
            Assert.Contains($"X-Amz-Credential={ExampleKeyId}%2F", request.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Spec", "AWS-04")]
    public async Task AWS_04_presigned_url_without_a_lifetime_is_blocked()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var target = PresignedTarget(Scoped.SurrogateAccessKeyId, "s3", 300).Replace("&X-Amz-Expires=300", string.Empty, StringComparison.Ordinal);

        var result = await signer.SignAsync(Request("GET", S3Host, target, [new("Host", S3Host)]), CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, result.Outcome);
    }

    [Fact]
    [Trait("Spec", "SIG-59")]
    public async Task SIG_59_non_s3_presigned_urls_sign_the_body_hash_not_unsigned_payload()
    {
        var scoped = AwsSurrogateGenerator.Create(Credential(scopes: "rds.scoped.test"));
        var (signer, _) = Signer(credentials: scoped);
        var request = Request("GET", "rds.scoped.test", PresignedTarget(scoped.SurrogateAccessKeyId, "rds-db", 900), [new("Host", "rds.scoped.test")]);

        await signer.SignAsync(request, CancellationToken.None);

        var query = request.PathAndQuery[(request.PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var canonical = AwsCanonicalRequest.Build("GET", "/key", AwsCanonicalRequest.CanonicalQuery(query, excludeSignature: true), ["host"], [new("host", "rds.scoped.test")], AwsSignatureAlgorithm.EmptySha256);
        var signature = SigV4Signature.Create(ExampleSecret, "20150830", "us-east-1", "rds-db").SignCanonicalRequest("20150830T123600Z", "20150830/us-east-1/rds-db/aws4_request", canonical).Signature;
        Assert.EndsWith("X-Amz-Signature=" + signature, request.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "SIG-42")]
    public async Task SIG_42_a_deferred_body_over_the_bound_is_blocked()
    {
        var (signer, _) = Signer(new AwsSigningOptions { MaxDeferredBodyBytes = 1000 }, credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "lambda", payloadHash: null);
        request.Body = new MemoryStream(new byte[1001]);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Blocked, result.Outcome);
        Assert.Equal("aws_body_too_large", result.Block!.Error);
    }

    [Fact]
    [Trait("Spec", "SIG-41")]
    [Trait("Spec", "SEC-06")]
    public async Task SIG_41_an_unreadable_deferred_body_is_signed_as_empty_and_logged_without_throwing()
    {
        var (signer, log) = Signer(credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "lambda", payloadHash: null);
        request.Body = new FailingStream();

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Resigned, result.Outcome);
        Assert.Contains(log.Lines, l => l.Contains("Deferred AWS signing could not read the request body: IOException", StringComparison.Ordinal));
        Assert.EndsWith("Signature=" + RecomputeHeaderSignature(request, "us-east-1", "lambda", "host;x-amz-date", AwsSignatureAlgorithm.EmptySha256), Header(request, "Authorization"), StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Spec", "SIG-65")]
    [InlineData(6, true)]
    [InlineData(5, false)]
    public async Task SIG_65_clock_skew_over_five_minutes_is_logged_and_the_timestamp_is_kept(int minutes, bool warned)
    {
        var (signer, log) = Signer(now: new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero).AddMinutes(minutes).AddSeconds(30), credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");

        await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(warned, log.Lines.Any(l => l.Contains($"Container clock skew detected: x-amz-date=20150830T123600Z", StringComparison.Ordinal) && l.Contains($"(drift={minutes}m)", StringComparison.Ordinal)));
        Assert.Equal("20150830T123600Z", Header(request, "X-Amz-Date"));
    }

    [Fact]
    [Trait("Spec", "SIG-22")]
    public async Task SIG_22_an_empty_host_header_is_signed_as_the_request_host()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        request.Headers[0] = new HeaderField("Host", " ");

        await signer.SignAsync(request, CancellationToken.None);

        var withHost = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        Assert.EndsWith("Signature=" + RecomputeHeaderSignature(withHost, "us-east-1", "s3", "host;x-amz-content-sha256;x-amz-date"), Header(request, "Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "SIG-23")]
    public async Task SIG_23_an_authority_entry_is_signed_as_host_and_left_in_the_request()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var request = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3", signedHeaders: ":authority;x-amz-content-sha256;x-amz-date");
        request.Headers[0] = new HeaderField("Host", "");
        request.Headers.Insert(0, new HeaderField(":authority", S3Host));

        await signer.SignAsync(request, CancellationToken.None);

        var plain = HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3");
        var auth = Header(request, "Authorization");
        Assert.Contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,", auth, StringComparison.Ordinal);
        Assert.EndsWith("Signature=" + RecomputeHeaderSignature(plain, "us-east-1", "s3", "host;x-amz-content-sha256;x-amz-date"), auth, StringComparison.Ordinal);
        Assert.Equal(S3Host, Header(request, ":authority"));
        Assert.Equal(string.Empty, Header(request, "Host"));
    }

    [Fact]
    [Trait("Spec", "SIG-57")]
    public async Task SIG_57_sigv4a_streaming_upload_is_resigned_with_padded_chunk_signatures_and_unchanged_length()
    {
        var (signer, _) = Signer(credentials: Scoped);
        var body = Encoding.ASCII.GetBytes($"5;chunk-signature=00{new string('*', 142)}\r\nhello\r\n0;chunk-signature=00{new string('*', 142)}\r\n\r\n");
        var request = Request("PUT", S3Host, "/key",
        [
            new("Host", S3Host),
            new("X-Amz-Date", "20150830T123600Z"),
            new("X-Amz-Region-Set", "*"),
            new("x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"),
            new("Authorization", $"AWS4-ECDSA-P256-SHA256 Credential={Scoped.SurrogateAccessKeyId}/20150830/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature={Hex(140, 'a')}"),
        ], body);

        var result = await signer.SignAsync(request, CancellationToken.None);
        var output = Encoding.ASCII.GetString(await ReadAllAsync(request.Body!));

        Assert.Equal(SigningOutcome.Resigned, result.Outcome);
        Assert.Equal("[masked: 1]", result.LogAnnotation);
        Assert.Equal(body.Length, output.Length);
        var seed = Header(request, "Authorization")[(Header(request, "Authorization").IndexOf("Signature=", StringComparison.Ordinal) + 10)..];
        var (x, y) = PublicKey(ExampleKeyId, ExampleSecret);
        var first = output.Substring(18, 144).TrimEnd('*');
        var stringToSign = $"AWS4-ECDSA-P256-SHA256-PAYLOAD\n20150830T123600Z\n20150830/s3/aws4_request\n{seed}\n{AwsSignatureAlgorithm.EmptySha256}\n{AwsSignatureAlgorithm.HexSha256("hello"u8)}";
        Assert.True(VerifyEcdsa(stringToSign, first, x, y));
    }

    [Fact]
    [Trait("Spec", "SEC-13")]
    public async Task SEC_13_no_real_secret_reaches_logs_results_or_printed_records()
    {
        var (signer, log) = Signer(now: DateTimeOffset.UnixEpoch, credentials: Scoped);
        var requests = new[]
        {
            HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "s3"),
            HeaderRequest("sts.scoped.test", Scoped.SurrogateAccessKeyId, "us-east-1", "sts"),
            HeaderRequest(S3Host, "AKIAATTACKER00000000", "us-east-1", "s3"),
            Request("GET", S3Host, PresignedTarget(Scoped.SurrogateAccessKeyId, "s3", 999999), [new("Host", S3Host)]),
            HeaderRequest(S3Host, Scoped.SurrogateAccessKeyId, "us-east-1", "lambda", payloadHash: null),
        };
        requests[^1].Body = new FailingStream();
        var printed = new StringBuilder();
        foreach (var request in requests)
        {
            printed.Append(await signer.SignAsync(request, CancellationToken.None)).Append('\n');
        }

        printed.Append(Scoped).Append('\n').Append(string.Join('\n', log.Lines));
        Assert.True(log.Lines.Count >= 3);
        var text = printed.ToString();
        Assert.DoesNotContain(ExampleSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(RealToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ExampleKeyId, text, StringComparison.Ordinal);
    }

    private static ProxiedRequest HeaderRequest(
        string host, string keyId, string region, string service,
        string signedHeaders = "host;x-amz-content-sha256;x-amz-date",
        string? payloadHash = AwsSignatureAlgorithm.EmptySha256)
    {
        var headers = new List<HeaderField> { new("Host", host), new("X-Amz-Date", "20150830T123600Z") };
        if (payloadHash is not null)
        {
            headers.Add(new("x-amz-content-sha256", payloadHash));
        }
        else
        {
            signedHeaders = "host;x-amz-date";
        }

        headers.Add(new("Authorization", $"AWS4-HMAC-SHA256 Credential={keyId}/20150830/{region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature={Hex(64, '1')}"));
        return Request("PUT", host, "/key", headers);
    }

    private static string PresignedTarget(string keyId, string service, int expires) =>
        $"/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={keyId}%2F20150830%2Fus-east-1%2F{service}%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature={Hex(64, '2')}";

    private static string RecomputeHeaderSignature(ProxiedRequest request, string region, string service, string signedHeaders, string? payloadHash = null)
    {
        var headers = request.Headers.Where(h => h.Name != "Authorization").ToList();
        var hash = payloadHash ?? headers.First(h => h.Name.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase)).Value;
        var canonical = AwsCanonicalRequest.Build(request.Method, "/key", string.Empty, signedHeaders.Split(';'), headers, hash);
        return SigV4Signature.Create(ExampleSecret, "20150830", region, service)
            .SignCanonicalRequest("20150830T123600Z", $"20150830/{region}/{service}/aws4_request", canonical).Signature;
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("connection reset");
    }
}
