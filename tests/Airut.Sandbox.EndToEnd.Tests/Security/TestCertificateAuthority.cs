using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Airut.Sandbox.EndToEnd.Tests.Security;

/// <summary>A throw-away CA and one leaf for the suite's upstream recorder, written as PEM files for the container.</summary>
internal static class TestCertificateAuthority
{
    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> (a leaf for <paramref name="names"/>) into <paramref name="directory"/>
    /// and returns the CA certificate's PEM, which the proxy gets as its upstream CA bundle.</summary>
    public static string WriteLeaf(string directory, IReadOnlyList<string> names)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Airut Security Suite Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=" + names[0], leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(ca, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(Path.Combine(directory, "cert.pem"), leaf.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), leafKey.ExportPkcs8PrivateKeyPem());
        return ca.ExportCertificatePem();
    }
}
