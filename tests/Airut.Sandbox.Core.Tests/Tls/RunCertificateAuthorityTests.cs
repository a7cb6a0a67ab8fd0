using System.Security.Cryptography.X509Certificates;
using Airut.Sandbox.Core.Tls;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Tls;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class RunCertificateAuthorityTests
{
    [Fact]
    [Trait("Spec", "SEC-40")]
    public void SEC_40_the_run_ca_is_a_short_lived_p256_ca_and_its_key_file_is_owner_only()
    {
        using var ca = RunCertificateAuthority.Create("unit CA");
        var directory = Directory.CreateTempSubdirectory("airut-ca-").FullName;
        try
        {
            ca.WritePemFiles(Path.Combine(directory, "ca.pem"), Path.Combine(directory, "ca.key"));

            var basic = Assert.Single(ca.Certificate.Extensions.OfType<X509BasicConstraintsExtension>());
            Assert.True(basic.CertificateAuthority);
            Assert.Equal("1.2.840.10045.2.1", ca.Certificate.PublicKey.Oid.Value);
            Assert.True(ca.Certificate.NotAfter - ca.Certificate.NotBefore <= TimeSpan.FromDays(3));
            Assert.False(ca.Certificate.HasPrivateKey);
            Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(Path.Combine(directory, "ca.pem")), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "ca.key")));
            }

            using var loaded = X509Certificate2.CreateFromPemFile(Path.Combine(directory, "ca.pem"), Path.Combine(directory, "ca.key"));
            Assert.True(loaded.HasPrivateKey);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
