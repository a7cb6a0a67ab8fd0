using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Airut.Sandbox.Proxy.Tls;

/// <summary>
/// Mints the TLS server certificate the proxy shows for a name (PX-3): ECDSA P-256, signed by the per-run CA,
/// SAN = the SNI name (or the IP literal), cached per name. Thread-safe. Without SNI (HS-01) the certificate is
/// for the local address the client connected to; routing and decisions never depend on it (they follow Host).
/// </summary>
public sealed class LeafCertificateMinter : IDisposable
{
    /// <summary>Most names kept; past this, new names are minted but not cached (an SNI flood cannot grow memory).</summary>
    public const int MaxCachedNames = 4096;

    private readonly X509Certificate2 _authority;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<X509Certificate2>> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates a minter over a CA certificate that carries its private key.</summary>
    public LeafCertificateMinter(X509Certificate2 authority, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (!authority.HasPrivateKey)
        {
            throw new ArgumentException("The CA certificate must carry its private key.", nameof(authority));
        }

        _authority = authority;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Loads the CA from PEM files (certificate, PKCS#8 or SEC1 key).</summary>
    public static LeafCertificateMinter FromPemFiles(string certificatePath, string keyPath, TimeProvider? timeProvider = null)
    {
        var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return new LeafCertificateMinter(loaded, timeProvider);
    }

    /// <summary>
    /// The certificate for a handshake: for <paramref name="serverName"/> when the client sent SNI, otherwise for
    /// <paramref name="localAddress"/>. Null when no valid certificate can be made for the name (the handshake fails).
    /// </summary>
    public X509Certificate2? Select(string? serverName, IPAddress? localAddress)
    {
        string key;
        if (!string.IsNullOrEmpty(serverName))
        {
            key = serverName.ToLowerInvariant();
            if (!IsMintableName(key))
            {
                return null;
            }
        }
        else if (localAddress is not null)
        {
            key = (localAddress.IsIPv4MappedToIPv6 ? localAddress.MapToIPv4() : localAddress).ToString();
        }
        else
        {
            return null;
        }

        try
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                return cached.Value;
            }

            if (_cache.Count >= MaxCachedNames)
            {
                return Mint(key);
            }

            return _cache.GetOrAdd(key, k => new Lazy<X509Certificate2>(() => Mint(k))).Value;
        }
        catch (CryptographicException)
        {
            _cache.TryRemove(key, out _);
            return null;
        }
        catch (ArgumentException)
        {
            _cache.TryRemove(key, out _);
            return null;
        }
    }

    private X509Certificate2 Mint(string name)
    {
        var now = _time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out var ip))
        {
            san.AddIpAddress(ip);
        }
        else
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));

        // Inside the CA's validity, which may itself have started only moments ago.
        var caNotBefore = new DateTimeOffset(_authority.NotBefore.ToUniversalTime());
        var caNotAfter = new DateTimeOffset(_authority.NotAfter.ToUniversalTime());
        var notBefore = now.AddHours(-1) > caNotBefore ? now.AddHours(-1) : caNotBefore;
        var notAfter = now.AddDays(1) < caNotAfter ? now.AddDays(1) : caNotAfter;
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(_authority, notBefore, notAfter, serial);
        using var withKey = publicOnly.CopyWithPrivateKey(key);

        // Round-trip through PKCS#12 so the key is not tied to the disposed ECDsa instance.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>DNS names of letters, digits, hyphens, underscores and dots (or an IP literal), at most 253 characters.</summary>
    private static bool IsMintableName(string name)
    {
        if (name.Length is 0 or > 253 || IPAddress.TryParse(name, out _))
        {
            return name.Length is > 0 and <= 253;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var entry in _cache.Values)
        {
            if (entry.IsValueCreated)
            {
                entry.Value.Dispose();
            }
        }

        _cache.Clear();
        _authority.Dispose();
    }
}
