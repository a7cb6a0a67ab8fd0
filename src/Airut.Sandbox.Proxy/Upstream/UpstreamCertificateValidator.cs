using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Airut.Sandbox.Proxy.Upstream;

/// <summary>
/// Upstream TLS verification (PX-17, CRED-09): the system roots, plus the extra roots of <c>upstream_ca_bundle</c>
/// when configured. Verification is never turned off: a name mismatch, an expired certificate or an unknown root
/// fails the handshake before any request byte (and so any real credential) is sent.
/// </summary>
public sealed class UpstreamCertificateValidator
{
    private readonly X509Certificate2Collection _extraRoots;

    /// <summary>Creates the validator; <paramref name="extraRoots"/> may be empty.</summary>
    public UpstreamCertificateValidator(X509Certificate2Collection extraRoots)
    {
        _extraRoots = extraRoots;
    }

    /// <summary>Loads the extra roots from a PEM bundle; throws when the file has no certificate.</summary>
    public static X509Certificate2Collection LoadBundle(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        if (collection.Count == 0)
        {
            throw new InvalidDataException($"{path} holds no PEM certificate");
        }

        return collection;
    }

    /// <summary>The <c>RemoteCertificateValidationCallback</c>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain can be rescued by the extra roots; a missing certificate or a name mismatch never.
        if (_extraRoots.Count == 0 || errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}
