using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Airut.Sandbox.Core.Aws;

/// <summary>The SigV4A private key as AWS derives it (credentials-cli.md SIG-39 [DEV], KAT-6): NIST SP 800-108
/// counter-mode KDF with HMAC-SHA256, key <c>"AWS4A"+secret</c>, fixed input
/// <c>00000001 ‖ "AWS4-ECDSA-P256-SHA256" ‖ 00 ‖ accessKeyId ‖ counter ‖ 00000100</c>; the first candidate
/// <c>c ≤ n−2</c> gives the scalar <c>c+1</c>.</summary>
public static class SigV4AKeyDerivation
{
    // Order of the NIST P-256 group.
    private static readonly BigInteger CurveOrder = BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
        System.Globalization.NumberStyles.HexNumber,
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The 32-byte big-endian private scalar.</summary>
    /// <exception cref="CryptographicException">No candidate within 254 counters (probability ~2^-8000).</exception>
    public static byte[] DerivePrivateScalar(string accessKeyId, string secretAccessKey)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        var key = Encoding.UTF8.GetBytes("AWS4A" + secretAccessKey);
        var label = Encoding.ASCII.GetBytes(AwsSignatureAlgorithm.SigV4AName);
        var id = Encoding.UTF8.GetBytes(accessKeyId);
        var input = new byte[4 + label.Length + 1 + id.Length + 1 + 4];
        BinaryPrimitives.WriteInt32BigEndian(input, 1);
        label.CopyTo(input, 4);
        id.CopyTo(input, 4 + label.Length + 1);
        BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(input.Length - 4), 256);
        var counterIndex = input.Length - 5;
        var limit = CurveOrder - 2;
        for (var counter = 1; counter <= 254; counter++)
        {
            input[counterIndex] = (byte)counter;
            var candidate = new BigInteger(HMACSHA256.HashData(key, input), isUnsigned: true, isBigEndian: true);
            if (candidate <= limit)
            {
                var value = (candidate + 1).ToByteArray(isUnsigned: true, isBigEndian: true);
                var scalar = new byte[32];
                value.CopyTo(scalar, 32 - value.Length);
                return scalar;
            }
        }

        throw new CryptographicException("SigV4A key derivation failed after 254 iterations");
    }

    /// <summary>An ECDSA P-256 key holding the derived scalar (the public point is computed by the platform).</summary>
    public static ECDsa CreateKey(ReadOnlySpan<byte> privateScalar)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateScalar.ToArray() });
            return ecdsa;
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }
}
