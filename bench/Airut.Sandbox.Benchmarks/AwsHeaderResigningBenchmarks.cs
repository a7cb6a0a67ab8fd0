using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.Aws;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Benchmarks;

/// <summary>Re-signing a typical SDK request (S3 PutObject headers, payload hash given) end to end through
/// <see cref="AwsRequestSigner"/>, against the bare SigV4 computation (key derivation + HMAC over a prepared
/// canonical request) that any re-signing must do.</summary>
[MemoryDiagnoser]
public class AwsHeaderResigningBenchmarks
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Host = "bucket.s3.us-east-1.amazonaws.com";
    private AwsRequestSigner _signer = null!;
    private AwsSurrogateCredential _credential = null!;
    private string _canonical = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _credential = AwsSurrogateGenerator.Create(new SigningCredential(
            "bench", new SecretValue("AKIAIOSFODNN7EXAMPLE"), new SecretValue(Secret), new SecretValue("real-token"),
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", ["*.amazonaws.com"]));
        _signer = new AwsRequestSigner(new AwsCredentialMap([_credential]), new AwsSigningOptions(), NullLogger<AwsRequestSigner>.Instance, TimeProvider.System);
        var request = NewRequest();
        _canonical = AwsCanonicalRequest.Build(request.Method, "/photos/2024/cat.jpg", "x-id=PutObject",
            ["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token", "x-amz-user-agent"], request.Headers, "UNSIGNED-PAYLOAD");
    }

    [Benchmark(Baseline = true)]
    public string SigV4OverPreparedCanonicalRequest() =>
        SigV4Signature.Create(Secret, "20240101", "us-east-1", "s3")
            .SignCanonicalRequest("20240101T000000Z", "20240101/us-east-1/s3/aws4_request", _canonical).Signature;

    [Benchmark]
    public SigningOutcome ResignTypicalRequest() => _signer.SignAsync(NewRequest(), CancellationToken.None).AsTask().GetAwaiter().GetResult().Outcome;

    private ProxiedRequest NewRequest() => new()
    {
        Method = "PUT",
        Scheme = "https",
        Host = Host,
        Port = 443,
        PathAndQuery = "/photos/2024/cat.jpg?x-id=PutObject",
        Headers =
        [
            new("Host", Host),
            new("User-Agent", "aws-cli/2.15.0 md/Botocore#1.34.0 ua/2.0 os/linux md/arch#x86_64 lang/python#3.11.6"),
            new("Content-Type", "image/jpeg"),
            new("Content-Length", "52341"),
            new("x-amz-user-agent", "aws-sdk-js/3.490.0"),
            new("X-Amz-Date", "20240101T000000Z"),
            new("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
            new("X-Amz-Security-Token", _credential.SurrogateSessionToken!),
            new("Authorization", $"AWS4-HMAC-SHA256 Credential={_credential.SurrogateAccessKeyId}/20240101/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-user-agent, Signature={new string('0', 64)}"),
        ],
    };
}
