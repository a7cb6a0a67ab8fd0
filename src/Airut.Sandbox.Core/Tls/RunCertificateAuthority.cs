using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Airut.Sandbox.Core.Tls;

/// <summary>
/// The per-run CA (TOP-14, SEC-40 hardened): a fresh ECDSA P-256 key and self-signed CA certificate for one
/// run only, valid for a short time, so a key that leaks from one proxy is worthless for any other run.
/// The sandbox trusts <see cref="CertificatePem"/>; only the proxy gets <see cref="ExportPrivateKeyPem"/>.
/// </summary>
public sealed class RunCertificateAuthority : IDisposable
{
    /// <summary>How long a CA lives when the caller does not say.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(2);

    private readonly ECDsa _key;

    private RunCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM, for the sandbox's trust store and the proxy.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Creates a new CA.</summary>
    /// <param name="commonName">Subject CN, e.g. <c>Airut Sandbox CA run-1234</c>.</param>
    /// <param name="validity">Lifetime from now (one hour of back-dating absorbs clock skew).</param>
    /// <param name="timeProvider">Clock; <see cref="TimeProvider.System"/> when null.</param>
    public static RunCertificateAuthority Create(string commonName, TimeSpan? validity = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var name = new X500DistinguishedNameBuilder();
            name.AddOrganizationName("Airut Sandbox");
            name.AddCommonName(commonName);
            var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            using var withKey = request.CreateSelfSigned(now.AddHours(-1), now.Add(validity ?? DefaultValidity));
            var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
            return new RunCertificateAuthority(publicOnly, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The CA private key as PKCS#8 PEM. Write it only to the run's private (0600) directory.</summary>
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Writes the certificate and key PEM files; the key file is new and readable by its owner only.</summary>
    public void WritePemFiles(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(keyPath, options);
        using var writer = new StreamWriter(stream);
        writer.Write(ExportPrivateKeyPem());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
