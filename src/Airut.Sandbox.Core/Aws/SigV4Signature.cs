using System.Security.Cryptography;
using System.Text;

namespace Airut.Sandbox.Core.Aws;

/// <summary>SigV4: HMAC-SHA256 with the key derived from the real secret and the request's own scope (SIG-37).</summary>
public sealed class SigV4Signature : AwsSignatureAlgorithm
{
    private readonly byte[] _signingKey;

    private SigV4Signature(byte[] signingKey) => _signingKey = signingKey;

    /// <inheritdoc />
    public override string Name => SigV4Name;

    /// <summary>Derives <c>kSigning</c> from the secret, date, region and service of the credential scope.</summary>
    public static SigV4Signature Create(string secretAccessKey, string date, string region, string service) =>
        new(DeriveSigningKey(secretAccessKey, date, region, service));

    /// <summary><c>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")</c> (KAT-1).</summary>
    public static byte[] DeriveSigningKey(string secretAccessKey, string date, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <inheritdoc />
    public override string Sign(string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(stringToSign)));
}
