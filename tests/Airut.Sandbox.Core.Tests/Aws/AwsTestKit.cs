using System.Security.Cryptography;
using System.Text;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Tests.Aws;

/// <summary>Builders shared by the AWS tests.</summary>
internal static class AwsTestKit
{
    public const string ExampleKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    public static SigningCredential Credential(
        string keyId = ExampleKeyId,
        string secret = ExampleSecret,
        string? token = null,
        params string[] scopes) =>
        new("aws", new SecretValue(keyId), new SecretValue(secret), token is null ? null : new SecretValue(token),
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            scopes.Length == 0 ? ["*.amazonaws.com"] : scopes);

    public static (AwsRequestSigner Signer, RecordingLogger<AwsRequestSigner> Log) Signer(
        AwsSigningOptions? options = null, DateTimeOffset? now = null, params AwsSurrogateCredential[] credentials)
    {
        var log = new RecordingLogger<AwsRequestSigner>();
        var time = new FixedTimeProvider(now ?? new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));
        return (new AwsRequestSigner(new AwsCredentialMap(credentials), options ?? new AwsSigningOptions(), log, time), log);
    }

    public static ProxiedRequest Request(string method, string host, string target, IEnumerable<HeaderField> headers, byte[]? body = null) =>
        new()
        {
            Method = method,
            Scheme = "https",
            Host = host,
            Port = 443,
            PathAndQuery = target,
            Headers = headers.ToList(),
            Body = body is null ? null : new MemoryStream(body),
            ContentLength = body?.Length,
        };

    public static string Header(ProxiedRequest request, string name) =>
        request.Headers.Single(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public static string Hex(int length, char c = '0') => new(c, length);

    public static bool VerifyEcdsa(string stringToSign, string derHex, string x, string y)
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Convert.FromHexString(x), Y = Convert.FromHexString(y) },
        });
        return key.VerifyData(Encoding.UTF8.GetBytes(stringToSign), Convert.FromHexString(derHex), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static (string X, string Y) PublicKey(string keyId, string secret)
    {
        using var key = SigV4AKeyDerivation.CreateKey(SigV4AKeyDerivation.DerivePrivateScalar(keyId, secret));
        var q = key.ExportParameters(false).Q;
        return (Convert.ToHexStringLower(q.X!), Convert.ToHexStringLower(q.Y!));
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}

/// <summary>Collects formatted log lines so tests can assert what was (and was not) written.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}

/// <summary>A clock that always says the same time.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
