using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>additions.md: egress_network, upstream_hosts, upstream_hosts_only, upstream_ca_bundle.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class AdditionsTests : IDisposable
{
    private readonly TemporaryDirectory _repo = new();

    public void Dispose() => _repo.Dispose();

    private static string CertificatePem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Airut Test Upstream CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    [Fact]
    public async Task ADD_all_keys_load_together()
    {
        _repo.Write(".airut/upstream-ca.pem", CertificatePem() + "\n" + CertificatePem());
        var config = await SandboxAsync(
            "egress_network: my-egress-net\nupstream_hosts:\n  api.example.test: 10.250.7.10\n  \"*.mirror.test\": 10.250.7.11\n  v6.example.test: \"fd00::7\"\nupstream_hosts_only: true\nupstream_ca_bundle: .airut/upstream-ca.pem\n",
            repositoryRoot: _repo.Path);

        Assert.Equal("my-egress-net", config.EgressNetwork);
        Assert.Equal(
            [
                new UpstreamHost("api.example.test", IPAddress.Parse("10.250.7.10")),
                new UpstreamHost("*.mirror.test", IPAddress.Parse("10.250.7.11")),
                new UpstreamHost("v6.example.test", IPAddress.Parse("fd00::7")),
            ],
            config.UpstreamHosts);
        Assert.True(config.UpstreamHostsOnly);
        Assert.Equal(Path.Combine(_repo.Path, ".airut", "upstream-ca.pem"), config.UpstreamCaBundlePath);
    }

    [Fact]
    public async Task ADD_absent_keys_have_their_defaults()
    {
        var config = await SandboxAsync("env: {}\n");
        Assert.Null(config.EgressNetwork);
        Assert.Empty(config.UpstreamHosts!);
        Assert.False(config.UpstreamHostsOnly);
        Assert.Null(config.UpstreamCaBundlePath);
    }

    [Theory]
    [InlineData("egress_network: 123\n", "expected a network name, got the number 123; put it in quotes if you mean the text", 1, 17)]
    [InlineData("egress_network: \"--rm\"\n", "'--rm' is not a network name; use letters, digits, '_', '.' and '-', starting with a letter or digit", 1, 17)]
    [InlineData("egress_network: \"net work\"\n", "'net work' is not a network name; use letters, digits, '_', '.' and '-', starting with a letter or digit", 1, 17)]
    [InlineData("egress_network: [a]\n", "expected a network name, got a list", 1, 17)]
    [InlineData("egress_network:\n", "expected a network name, got null (an empty value)", 1, 16)]
    public async Task ADD_egress_network_must_be_a_network_name(string yaml, string message, int line, int column)
    {
        var error = await SandboxErrorAsync(yaml);
        Assert.Equal(message, error.Detail);
        AssertAt(error, SandboxFile, line, column, "egress_network");
    }

    [Theory]
    [InlineData("upstream_hosts:\n  a.test: a.internal\n", "'a.internal' is not an IP address literal", 2, 11, "upstream_hosts.a.test")]
    [InlineData("upstream_hosts:\n  a.test: \"10.1\"\n", "'10.1' is not an IP address literal", 2, 11, "upstream_hosts.a.test")]
    [InlineData("upstream_hosts:\n  a.test: \"010.0.0.1\"\n", "'010.0.0.1' is not an IP address literal", 2, 11, "upstream_hosts.a.test")]
    [InlineData("upstream_hosts:\n  a.test: \"[fd00::1]\"\n", "'[fd00::1]' is not an IP address literal", 2, 11, "upstream_hosts.a.test")]
    [InlineData("upstream_hosts:\n  a.test: \"fe80::1%eth0\"\n", "'fe80::1%eth0' is not an IP address literal", 2, 11, "upstream_hosts.a.test")]
    [InlineData("upstream_hosts:\n  a.test: \"10.0.0.1:443\"\n", "'10.0.0.1:443' is not an IP address literal", 2, 11, "upstream_hosts.a.test")]
    [InlineData("upstream_hosts:\n  a.test:\n", "expected an IPv4 or IPv6 address, got null (an empty value)", 2, 10, "upstream_hosts.a.test")]
    [InlineData("upstream_hosts:\n  \"a.test:443\": 10.0.0.1\n", "contains a port", 2, 3, "upstream_hosts.a.test:443")]
    [InlineData("upstream_hosts:\n  \"https://a.test\": 10.0.0.1\n", "contains a scheme", 2, 3, "upstream_hosts.https://a.test")]
    [InlineData("upstream_hosts: [a.test]\n", "'upstream_hosts' must be a mapping, got a list", 1, 17, "upstream_hosts")]
    public async Task ADD_upstream_hosts_maps_host_patterns_to_ip_literals_only(string yaml, string message, int line, int column, string key)
    {
        var error = await SandboxErrorAsync(yaml);
        Assert.Contains(message, error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, line, column, key);
    }

    [Theory]
    [InlineData("upstream_hosts_only: false\n", false)]
    [InlineData("upstream_hosts_only: \"true\"\n", true)]
    [InlineData("upstream_hosts_only:\n", false)]
    public async Task ADD_upstream_hosts_only_is_a_boolean(string yaml, bool expected) =>
        Assert.Equal(expected, (await SandboxAsync(yaml)).UpstreamHostsOnly);

    [Fact]
    public async Task ADD_upstream_hosts_only_rejects_non_booleans()
    {
        var error = await SandboxErrorAsync("upstream_hosts_only: always\n");
        Assert.EndsWith("got 'always'", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 1, 22, "upstream_hosts_only");
    }

    [Fact]
    public async Task ADD_upstream_ca_bundle_accepts_an_absolute_path()
    {
        var path = _repo.Write("elsewhere/ca.pem", CertificatePem());
        var config = await SandboxAsync($"upstream_ca_bundle: \"{path}\"\n", repositoryRoot: "/nonexistent-root");
        Assert.Equal(path, config.UpstreamCaBundlePath);
    }

    [Fact]
    public async Task ADD_upstream_ca_bundle_must_exist()
    {
        var error = await SandboxErrorAsync("upstream_ca_bundle: .airut/missing.pem\n", repositoryRoot: _repo.Path);
        Assert.Equal($"CA bundle not found: {Path.Combine(_repo.Path, ".airut", "missing.pem")}", error.Detail);
        AssertAt(error, SandboxFile, 1, 21, "upstream_ca_bundle");

        error = await SandboxErrorAsync("upstream_ca_bundle: .\n", repositoryRoot: _repo.Path);
        Assert.StartsWith("CA bundle not found", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADD_upstream_ca_bundle_must_hold_pem_certificates()
    {
        _repo.Write("not-pem.pem", "hello, I am not a certificate\n");
        var error = await SandboxErrorAsync("upstream_ca_bundle: not-pem.pem\n", repositoryRoot: _repo.Path);
        Assert.EndsWith("holds no PEM certificate (-----BEGIN CERTIFICATE-----)", error.Detail, StringComparison.Ordinal);

        using var key = RSA.Create(2048);
        _repo.Write("key.pem", key.ExportPkcs8PrivateKeyPem());
        error = await SandboxErrorAsync("upstream_ca_bundle: key.pem\n", repositoryRoot: _repo.Path);
        Assert.EndsWith("holds no PEM certificate (-----BEGIN CERTIFICATE-----)", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", error.Message, StringComparison.Ordinal);

        _repo.Write("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        error = await SandboxErrorAsync("upstream_ca_bundle: broken.pem\n", repositoryRoot: _repo.Path);
        Assert.Contains("is not valid PEM", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 1, 21, "upstream_ca_bundle");
    }

    [Fact]
    public async Task ADD_upstream_ca_bundle_that_cannot_be_read_is_an_error()
    {
        // Reading /proc/self/mem from offset 0 fails with EIO even for root: a file that exists but cannot be read.
        var error = await SandboxErrorAsync("upstream_ca_bundle: /proc/self/mem\n", repositoryRoot: _repo.Path);
        Assert.StartsWith("CA bundle /proc/self/mem: cannot read the file: ", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 1, 21, "upstream_ca_bundle");
    }

    [Fact]
    public async Task ADD_upstream_ca_bundle_over_the_cap_is_refused()
    {
        var path = Path.Combine(_repo.Path, "big.pem");
        using (var stream = File.Create(path))
        {
            stream.SetLength(ConfigurationLimits.MaxCaBundleBytes + 1);
        }

        var error = await SandboxErrorAsync("upstream_ca_bundle: big.pem\n", repositoryRoot: _repo.Path);
        Assert.Contains("larger than 4194304 bytes", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("upstream_ca_bundle: ''\n", "expected a path to a PEM file, got an empty string")]
    [InlineData("upstream_ca_bundle: [a.pem]\n", "expected a path to a PEM file, got a list")]
    public async Task ADD_upstream_ca_bundle_must_be_a_path(string yaml, string message)
    {
        var error = await SandboxErrorAsync(yaml, repositoryRoot: _repo.Path);
        Assert.Equal(message, error.Detail);
        AssertAt(error, SandboxFile, 1, 21, "upstream_ca_bundle");
    }
}
