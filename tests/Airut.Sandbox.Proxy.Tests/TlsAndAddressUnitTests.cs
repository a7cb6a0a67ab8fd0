using System.Net;
using System.Security.Cryptography.X509Certificates;
using Airut.Sandbox.Core.Tls;
using Airut.Sandbox.Proxy.Http;
using Airut.Sandbox.Proxy.Tls;
using Airut.Sandbox.Proxy.Upstream;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class TlsAndAddressUnitTests
{
    [Fact]
    [Trait("Spec", "PX-3")]
    public void PX_3_leaves_are_minted_per_name_chain_to_the_run_ca_and_are_cached()
    {
        using var ca = RunCertificateAuthority.Create("unit CA");
        using var minter = new LeafCertificateMinter(X509Certificate2.CreateFromPem(ca.CertificatePem, ca.ExportPrivateKeyPem()));

        var first = minter.Select("API.Allowed.test", null);
        var again = minter.Select("api.allowed.test", null);
        var ip = minter.Select(null, IPAddress.Parse("10.199.1.100"));

        Assert.NotNull(first);
        Assert.Same(first, again);
        Assert.True(first.HasPrivateKey);
        Assert.True(first.MatchesHostname("api.allowed.test"));
        Assert.NotNull(ip);
        Assert.True(ip.MatchesHostname("10.199.1.100"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(first));
        Assert.True(first.NotAfter <= ca.Certificate.NotAfter);
    }

    [Theory]
    [Trait("Spec", "HS-01")]
    [InlineData("evil test")]
    [InlineData("a..b")]
    [InlineData("*.wild.test")]
    [InlineData("bad\nname")]
    public void HS_01_names_that_cannot_be_a_certificate_name_get_no_certificate(string name)
    {
        using var ca = RunCertificateAuthority.Create("unit CA");
        using var minter = new LeafCertificateMinter(X509Certificate2.CreateFromPem(ca.CertificatePem, ca.ExportPrivateKeyPem()));

        Assert.Null(minter.Select(name, null));
        Assert.Null(minter.Select(null, null));
    }

    [Theory]
    [Trait("Spec", "SEC-34")]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("10.199.1.100", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("10.0.0.5", false)]
    public void SEC_34_addresses_dns_may_never_lead_to(string address, bool never)
    {
        var own = new HashSet<IPAddress> { IPAddress.Parse("10.199.1.100") };

        Assert.Equal(never, UpstreamAddressRules.IsNeverReachable(IPAddress.Parse(address), own));
    }

    [Theory]
    [InlineData("allowed.test", "allowed.test", null)]
    [InlineData("allowed.test:443", "allowed.test", 443)]
    [InlineData("[::1]:80", "::1", 80)]
    [InlineData("[::1]", "::1", null)]
    public void Authorities_parse_into_host_and_explicit_port(string text, string host, int? port)
    {
        Assert.Equal(new RequestAuthority(host, port), RequestAuthority.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":80")]
    [InlineData("a:b")]
    [InlineData("a:99999")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("a: 80")]
    public void Malformed_authorities_are_rejected(string text)
    {
        Assert.Null(RequestAuthority.Parse(text));
    }

    [Theory]
    [InlineData("/p?q", "/p?q", null)]
    [InlineData("http://h/p?q", "/p?q", "h")]
    [InlineData("http://h", "/", "h")]
    [InlineData("http://h?q", "/?q", "h")]
    [InlineData("https://user@h:8443/x", "/x", "h")]
    public void Targets_split_into_origin_form_and_authority(string raw, string path, string? host)
    {
        var target = RequestTarget.Parse(raw);

        Assert.NotNull(target);
        Assert.Equal(path, target.PathAndQuery);
        Assert.Equal(host, target.AbsoluteAuthority?.Host);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("ftp://h/x")]
    [InlineData("h/x")]
    [InlineData("")]
    public void Other_target_forms_are_rejected(string raw)
    {
        Assert.Null(RequestTarget.Parse(raw));
    }

    [Fact]
    [Trait("Spec", "SEC-35")]
    public async Task SEC_35_the_upstream_map_is_consulted_first_with_globs_and_port_override()
    {
        var connector = new UpstreamConnector(
            [new UpstreamMapping(new Core.Egress.HostPattern("*.mirror.test"), IPAddress.Parse("10.250.7.11"), null),
             new UpstreamMapping(new Core.Egress.HostPattern("api.example.test"), IPAddress.Parse("127.0.0.1"), 8443)],
            mapOnly: true,
            new HashSet<IPAddress>());

        var glob = await connector.ResolveAsync("A.Mirror.test", 443, CancellationToken.None);
        var exact = await connector.ResolveAsync("api.example.test", 443, CancellationToken.None);

        Assert.Equal((IPAddress.Parse("10.250.7.11"), 443), (Assert.Single(glob.Addresses), glob.Port));
        Assert.Equal((IPAddress.Loopback, 8443), (Assert.Single(exact.Addresses), exact.Port));
        var miss = await Assert.ThrowsAsync<UpstreamRefusedException>(async () => await connector.ResolveAsync("mirror.test", 443, CancellationToken.None));
        Assert.Equal("not in upstream_hosts", miss.Message);
    }

    [Theory]
    [Trait("Spec", "SEC-34")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("10.199.1.100")]
    [InlineData("[::1]")]
    public async Task SEC_34_without_a_mapping_the_connector_never_reaches_loopback_link_local_or_itself(string host)
    {
        var connector = new UpstreamConnector([], mapOnly: false, new HashSet<IPAddress> { IPAddress.Parse("10.199.1.100") });

        await Assert.ThrowsAsync<UpstreamRefusedException>(async () => await connector.ResolveAsync(host, 443, CancellationToken.None));
    }
}
