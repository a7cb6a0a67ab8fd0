using System.Security.Cryptography;
using System.Text;

namespace Airut.Sandbox.Core.Aws;

/// <summary>SigV4A: ECDSA P-256 over SHA-256(string to sign), hex of the DER signature (SIG-39 [DEV]).
/// ECDSA is randomized: each call gives a different, equally valid signature.</summary>
public sealed class SigV4ASignature : AwsSignatureAlgorithm, IDisposable
{
    private readonly ECDsa _key;

    /// <summary>Signs with the key derived from the real access key id and secret (<see cref="SigV4AKeyDerivation"/>).</summary>
    public SigV4ASignature(string accessKeyId, string secretAccessKey)
    {
        var scalar = SigV4AKeyDerivation.DerivePrivateScalar(accessKeyId, secretAccessKey);
        try
        {
            _key = SigV4AKeyDerivation.CreateKey(scalar);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <inheritdoc />
    public override string Name => SigV4AName;

    /// <inheritdoc />
    public override string Sign(string stringToSign) =>
        Convert.ToHexStringLower(_key.SignData(
            Encoding.UTF8.GetBytes(stringToSign), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
