using System.Security.Cryptography;
using System.Text;

namespace Airut.Sandbox.Core.Aws;

/// <summary>One way of turning a string to sign into a signature: SigV4 (HMAC) or SigV4A (ECDSA P-256).</summary>
public abstract class AwsSignatureAlgorithm
{
    /// <summary><c>AWS4-HMAC-SHA256</c> (SigV4).</summary>
    public const string SigV4Name = "AWS4-HMAC-SHA256";

    /// <summary><c>AWS4-ECDSA-P256-SHA256</c> (SigV4A).</summary>
    public const string SigV4AName = "AWS4-ECDSA-P256-SHA256";

    /// <summary>The algorithm name used in Authorization, string-to-sign and (with suffixes) chunk signing.</summary>
    public abstract string Name { get; }

    /// <summary>Signs <paramref name="stringToSign"/> and returns lower-case hex.</summary>
    public abstract string Sign(string stringToSign);

    /// <summary>Signs a canonical request: string to sign, then signature.</summary>
    public AwsSignedParts SignCanonicalRequest(string timestamp, string scope, string canonicalRequest)
    {
        var stringToSign = StringToSign(timestamp, scope, canonicalRequest);
        return new AwsSignedParts(canonicalRequest, stringToSign, Sign(stringToSign));
    }

    /// <summary><c>ALGORITHM\nTIMESTAMP\nSCOPE\nhex(sha256(canonicalRequest))</c> (SIG-37).</summary>
    public string StringToSign(string timestamp, string scope, string canonicalRequest) =>
        $"{Name}\n{timestamp}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>The string to sign for one aws-chunked data chunk (SIG-52).</summary>
    public string ChunkStringToSign(string timestamp, string scope, string previousSignature, ReadOnlySpan<byte> data) =>
        $"{Name}-PAYLOAD\n{timestamp}\n{scope}\n{previousSignature}\n{EmptySha256}\n{HexSha256(data)}";

    /// <summary>The string to sign for the trailing headers of an aws-chunked body (SIG-54).</summary>
    public string TrailerStringToSign(string timestamp, string scope, string previousSignature, ReadOnlySpan<byte> canonicalTrailer) =>
        $"{Name}-TRAILER\n{timestamp}\n{scope}\n{previousSignature}\n{HexSha256(canonicalTrailer)}";

    /// <summary>Hex SHA-256 of nothing.</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string HexSha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }
}
