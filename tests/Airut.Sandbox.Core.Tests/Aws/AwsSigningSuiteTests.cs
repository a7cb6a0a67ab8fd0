using System.Security.Cryptography;
using System.Text;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Aws.AwsTestKit;

namespace Airut.Sandbox.Core.Tests.Aws;

/// <summary>Every case of AWS's own signing test suite (v4 and v4a, header and query variants): canonical request and
/// string to sign byte-exact, SigV4 signatures exact, SigV4A signatures verified with the published public key. The
/// normalized cases also go end to end through <see cref="AwsRequestSigner"/> from a surrogate-signed request.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "SIG-30")]
public sealed class AwsSigningSuiteTests
{
    private const string SuiteHost = "example.amazonaws.com";

    // Two v4a folders (get-vanilla-query-order-key/-value) publish only request.txt: no artifact to compare.
    public static TheoryData<string, string> HeaderCases() => Select(c => c.HasFile("header-signed-request.txt"));

    public static TheoryData<string, string> QueryCases() => Select(c => c.HasFile("query-signed-request.txt"));

    // The signer always normalizes non-S3 paths (SIG-32), so the unnormalized variants are covered by the
    // canonicalization tests only.
    public static TheoryData<string, string> NormalizedHeaderCases() => Select(c => c.HasFile("header-signed-request.txt") && c.Normalize);

    // A token the SDK appends after signing ("sts-header-after") is indistinguishable, to a proxy, from a signed one.
    public static TheoryData<string, string> NormalizedQueryCases() =>
        Select(c => c.HasFile("query-signed-request.txt") && c.Normalize && !c.OmitSessionToken);

    private static TheoryData<string, string> Select(Func<AwsSuiteCase, bool> predicate)
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "v4", "v4a" })
        {
            foreach (var name in AwsSigningSuite.CaseNames(version))
            {
                if (predicate(AwsSigningSuite.Load(version, name)))
                {
                    data.Add(version, name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HeaderCases))]
    public void SIG_30_header_variant_canonical_request_string_to_sign_and_signature_match_the_suite(string version, string name)
    {
        var c = AwsSigningSuite.Load(version, name);
        var signed = c.ReadRequest("header-signed-request.txt");
        var headers = signed.Headers.Where(h => !h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).ToList();
        var auth = AwsAuthorizationHeader.TryParse(signed.Headers.Single(h => h.Name == "Authorization").Value)!;
        var (path, query) = Split(signed.Target);
        var payloadHash = headers.FirstOrDefault(h => h.Name.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase))?.Value
                          ?? AwsSignatureAlgorithm.HexSha256(Encoding.UTF8.GetBytes(signed.Body));
        var canonical = AwsCanonicalRequest.Build(
            signed.Method,
            AwsCanonicalRequest.CanonicalUri(path, c.Normalize ? AwsPathCanonicalization.Normalized : AwsPathCanonicalization.Unnormalized),
            AwsCanonicalRequest.CanonicalQuery(query, excludeSignature: false),
            auth.SignedHeaders.Split(';'),
            headers,
            payloadHash);

        Assert.Equal(c.Read("header-canonical-request.txt"), canonical);
        var timestamp = headers.Single(h => h.Name.Equals("X-Amz-Date", StringComparison.OrdinalIgnoreCase)).Value;
        CheckSignature(c, version, "header", timestamp, auth.Scope, canonical);
    }

    [Theory]
    [MemberData(nameof(QueryCases))]
    public void SIG_58_query_variant_canonical_request_string_to_sign_and_signature_match_the_suite(string version, string name)
    {
        var c = AwsSigningSuite.Load(version, name);
        var signed = c.ReadRequest("query-signed-request.txt");
        var (path, query) = Split(signed.Target);
        if (c.OmitSessionToken)
        {
            // "sts-header-after": the SDK appends the token after signing, so it is not part of the canonical query.
            query = string.Join('&', query.Split('&').Where(p => !p.StartsWith("X-Amz-Security-Token=", StringComparison.Ordinal)));
        }

        var parameters = AwsCanonicalRequest.ParseQuery(query).ToDictionary(p => p.Name, p => p.Value);
        var canonical = AwsCanonicalRequest.Build(
            signed.Method,
            AwsCanonicalRequest.CanonicalUri(path, c.Normalize ? AwsPathCanonicalization.Normalized : AwsPathCanonicalization.Unnormalized),
            AwsCanonicalRequest.CanonicalQuery(query, excludeSignature: true),
            parameters["X-Amz-SignedHeaders"].Split(';'),
            signed.Headers,
            AwsSignatureAlgorithm.HexSha256(Encoding.UTF8.GetBytes(signed.Body)));

        Assert.Equal(c.Read("query-canonical-request.txt"), canonical);
        var credential = parameters["X-Amz-Credential"];
        CheckSignature(c, version, "query", parameters["X-Amz-Date"], credential[(credential.IndexOf('/', StringComparison.Ordinal) + 1)..], canonical);
    }

    [Theory]
    [MemberData(nameof(NormalizedHeaderCases))]
    public async Task SIG_38_signer_resigns_the_surrogate_header_request_to_the_suite_result(string version, string name)
    {
        var c = AwsSigningSuite.Load(version, name);
        var expected = c.ReadRequest("header-signed-request.txt");
        var surrogate = AwsSurrogateGenerator.Create(Credential(c.AccessKeyId, c.SecretAccessKey, c.Token, SuiteHost));
        var headers = expected.Headers.Select(h => h.Name switch
        {
            "Authorization" => h with
            {
                Value = h.Value.Replace($"Credential={c.AccessKeyId}/", $"Credential={surrogate.SurrogateAccessKeyId}/", StringComparison.Ordinal)
                    [..(h.Value.IndexOf("Signature=", StringComparison.Ordinal) + 10)] + Hex(64, 'f'),
            },
            "X-Amz-Security-Token" => h with { Value = surrogate.SurrogateSessionToken! },
            _ => h,
        }).ToList();
        var request = Request(expected.Method, SuiteHost, expected.Target, headers, Encoding.UTF8.GetBytes(expected.Body));
        var (signer, log) = Signer(credentials: surrogate);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Resigned, result.Outcome);
        var expectedAuth = Header(ToProxied(expected), "Authorization");
        var actualAuth = Header(request, "Authorization");
        if (version == "v4")
        {
            Assert.Equal(expectedAuth, actualAuth);
        }
        else
        {
            var cut = expectedAuth.IndexOf("Signature=", StringComparison.Ordinal) + 10;
            Assert.Equal(expectedAuth[..cut], actualAuth[..cut]);
            var (x, y) = c.PublicKey;
            Assert.True(VerifyEcdsa(c.Read("header-string-to-sign.txt"), actualAuth[cut..], x, y));
        }

        if (c.Token is not null)
        {
            Assert.True(Header(request, "X-Amz-Security-Token") == c.Token, "the real session token was not put in");
        }

        Assert.Equal(Encoding.UTF8.GetBytes(expected.Body), await ReadAllAsync(request.Body!));
        Assert.DoesNotContain(log.Lines, l => l.Contains(c.SecretAccessKey, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(NormalizedQueryCases))]
    public async Task SIG_58_signer_resigns_the_surrogate_presigned_url_to_the_suite_result(string version, string name)
    {
        var c = AwsSigningSuite.Load(version, name);
        var expected = c.ReadRequest("query-signed-request.txt");
        var surrogate = AwsSurrogateGenerator.Create(Credential(c.AccessKeyId, c.SecretAccessKey, c.Token, SuiteHost));
        var (path, query) = Split(expected.Target);
        var surrogateQuery = string.Join('&', query.Split('&').Select(p =>
            p.StartsWith("X-Amz-Credential=", StringComparison.Ordinal) ? p.Replace(c.AccessKeyId, surrogate.SurrogateAccessKeyId, StringComparison.Ordinal)
            : p.StartsWith("X-Amz-Signature=", StringComparison.Ordinal) ? "X-Amz-Signature=" + Hex(64)
            : p.StartsWith("X-Amz-Security-Token=", StringComparison.Ordinal) ? "X-Amz-Security-Token=" + surrogate.SurrogateSessionToken
            : p));
        var request = Request(expected.Method, SuiteHost, path + "?" + surrogateQuery, expected.Headers, Encoding.UTF8.GetBytes(expected.Body));
        var (signer, _) = Signer(credentials: surrogate);

        var result = await signer.SignAsync(request, CancellationToken.None);

        Assert.Equal(SigningOutcome.Resigned, result.Outcome);
        if (version == "v4")
        {
            Assert.True(expected.Target == request.PathAndQuery, "re-signed URL differs from the suite's");
        }
        else
        {
            var cut = expected.Target.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + 16;
            Assert.True(expected.Target[..cut] == request.PathAndQuery[..cut], "re-signed URL differs from the suite's");
            var (x, y) = c.PublicKey;
            Assert.True(VerifyEcdsa(c.Read("query-string-to-sign.txt"), request.PathAndQuery[cut..], x, y));
        }
    }

    private static void CheckSignature(AwsSuiteCase c, string version, string variant, string timestamp, string scope, string canonical)
    {
        if (version == "v4")
        {
            var parts = AwsCredentialScope.Parse(scope, AwsSignatureAlgorithm.SigV4Name);
            var signed = SigV4Signature.Create(c.SecretAccessKey, parts.Date, parts.Region, parts.Service)
                .SignCanonicalRequest(timestamp, scope, canonical);
            Assert.Equal(c.Read($"{variant}-string-to-sign.txt"), signed.StringToSign);
            Assert.Equal(c.Read($"{variant}-signature.txt").Trim(), signed.Signature);
            return;
        }

        using var algorithm = new SigV4ASignature(c.AccessKeyId, c.SecretAccessKey);
        var result = algorithm.SignCanonicalRequest(timestamp, scope, canonical);
        Assert.Equal(c.Read($"{variant}-string-to-sign.txt"), result.StringToSign);
        var (x, y) = c.PublicKey;
        Assert.Equal((x.ToLowerInvariant(), y.ToLowerInvariant()), PublicKey(c.AccessKeyId, c.SecretAccessKey));
        Assert.True(VerifyEcdsa(result.StringToSign, result.Signature, x, y), "our signature does not verify");
        Assert.True(VerifyEcdsa(result.StringToSign, c.Read($"{variant}-signature.txt").Trim(), x, y), "the published signature does not verify");
        Assert.True(result.Signature.Length <= 144);
    }

    private static ProxiedRequest ToProxied(AwsSuiteRequest request) => Request(request.Method, SuiteHost, request.Target, request.Headers);

    private static (string Path, string Query) Split(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (target, string.Empty) : (target[..q], target[(q + 1)..]);
    }
}
