using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Airut.Sandbox.Testing.Recording;

/// <summary>Certificates for test upstreams: a CA, leaves it issues (valid, expired, for another name), self-signed.</summary>
public static class TestCertificates
{
    /// <summary>A self-signed CA certificate with its key.</summary>
    public static X509Certificate2 CreateAuthority(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));
        return Reload(created);
    }

    /// <summary>A server certificate for <paramref name="name"/> (and <paramref name="extraNames"/>) signed by <paramref name="authority"/>.</summary>
    public static X509Certificate2 IssueServer(
        X509Certificate2 authority, string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, params string[] extraNames)
    {
        ArgumentNullException.ThrowIfNull(authority);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(name, key, extraNames);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var created = request.Create(authority, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(1), serial);
        using var withKey = created.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>A self-signed server certificate for <paramref name="name"/> (trusted by nobody).</summary>
    public static X509Certificate2 SelfSignedServer(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var created = ServerRequest(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Reload(created);
    }

    /// <summary>The certificate as PEM (public part).</summary>
    public static string ToPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.ExportCertificatePem();
    }

    private static CertificateRequest ServerRequest(string name, ECDsa key, params string[] extraNames)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var each in extraNames.Prepend(name))
        {
            if (IPAddress.TryParse(each, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(each);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
