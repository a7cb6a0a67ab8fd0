using System.Text;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Proxy.Configuration;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ProxyConfigurationReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("airut-proxy-config-").FullName;

    public ProxyConfigurationReaderTests()
    {
        File.WriteAllText(Path.Combine(_directory, "ca.pem"), "x");
        File.WriteAllText(Path.Combine(_directory, "ca.key"), "x");
    }

    private string Minimal(string extra = "") =>
        $$"""
        {
          "listen": { "http": ["127.0.0.1:80"], "https": ["[::1]:443"] },
          "allowlist": { "domains": ["a.test"], "url_prefixes": [ { "host": "b.test", "path": "/x*", "methods": ["get"] } ] },
          "ca_certificate_path": "{{Path.Combine(_directory, "ca.pem")}}",
          "ca_key_path": "{{Path.Combine(_directory, "ca.key")}}"{{extra}}
        }
        """;

    [Fact]
    public void A_minimal_document_reads_with_empty_defaults()
    {
        var configuration = ProxyConfigurationReader.Parse(Encoding.UTF8.GetBytes(Minimal()), "proxy.json");

        Assert.Equal(["127.0.0.1:80"], configuration.Listen.Http);
        Assert.Empty(configuration.Listen.Dns);
        Assert.Empty(configuration.MaskedSecrets);
        Assert.Empty(configuration.UpstreamHosts);
        Assert.False(configuration.UpstreamHostsOnly);
        var allowlist = ProxyConfigurationReader.ToAllowlist(configuration.Allowlist);
        Assert.Equal(["GET"], Assert.Single(allowlist.UrlPrefixes).Methods);
    }

    [Fact]
    public void The_document_round_trips_through_its_json_form()
    {
        var original = ProxyConfigurationReader.Parse(Encoding.UTF8.GetBytes(Minimal(
            """, "upstream_hosts": [{"pattern": "*.m.test", "address": "10.0.0.1", "port": 8443}], "upstream_hosts_only": true, "proxy_addresses": ["10.199.1.100"]""")), "p.json");

        var json = JsonSerializer.SerializeToUtf8Bytes(original, ProxyConfigurationJsonContext.Default.ProxyConfiguration);
        var again = ProxyConfigurationReader.Parse(json, "again.json");

        Assert.Equal(8443, Assert.Single(again.UpstreamHosts).Port);
        Assert.True(again.UpstreamHostsOnly);
        Assert.Equal(["10.199.1.100"], again.ProxyAddresses);
    }

    [Theory]
    [InlineData("{ \"listen\": ", null)]
    [InlineData("{\"listen\": {\"http\": [\"127.0.0.1:80\"]}, \"allowlist\": {}, \"ca_certificate_path\": \"a\", \"ca_key_path\": \"b\", \"surprise\": 1}", "surprise")]
    [InlineData("{\"listen\": {\"http\": [\"127.0.0.1:80\"]}, \"allowlist\": {\"domains\": \"a.test\"}, \"ca_certificate_path\": \"a\", \"ca_key_path\": \"b\"}", "allowlist.domains")]
    [InlineData("{\"listen\": {\"http\": [\"127.0.0.1:80\"]}, \"allowlist\": {}}", null)]
    public void Malformed_json_names_the_file_line_and_column(string json, string? key)
    {
        var error = Assert.Throws<SandboxConfigurationException>(() => ProxyConfigurationReader.Parse(Encoding.UTF8.GetBytes(json), "bad.json"));

        Assert.NotNull(error.Location);
        Assert.Equal("bad.json", error.Location.File);
        Assert.True(error.Location.Line >= 1 && error.Location.Column >= 1);
        if (key is not null)
        {
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(", \"listen\": {}", "listen")]
    [InlineData(", \"upstream_hosts\": [{\"pattern\": \"a.test\", \"address\": \"not-an-ip\"}]", "upstream_hosts[0].address")]
    [InlineData(", \"upstream_hosts\": [{\"pattern\": \"a.test\", \"address\": \"10.0.0.1\", \"port\": 0}]", "upstream_hosts[0].port")]
    [InlineData(", \"proxy_addresses\": [\"proxy\"]", "proxy_addresses[0]")]
    [InlineData(", \"upstream_ca_bundle_path\": \"/nonexistent/ca.pem\"", "upstream_ca_bundle_path")]
    [InlineData(", \"masked_secrets\": [{\"name\": \"T\", \"surrogate\": \"same\", \"value\": \"same\", \"scopes\": [\"a\"], \"headers\": [\"h\"]}]", "masked_secrets[0].surrogate")]
    [InlineData(", \"masked_secrets\": [{\"name\": \"T\", \"surrogate\": \"s\", \"value\": \"v\", \"scopes\": [], \"headers\": [\"h\"]}]", "masked_secrets[0].scopes")]
    public void Semantic_errors_name_the_key_and_never_start_anything(string extra, string key)
    {
        var json = Minimal(extra);
        if (extra.StartsWith(", \"listen\"", StringComparison.Ordinal))
        {
            json = json.Replace("\"listen\": { \"http\": [\"127.0.0.1:80\"], \"https\": [\"[::1]:443\"] },", string.Empty, StringComparison.Ordinal);
        }

        var error = Assert.Throws<SandboxConfigurationException>(() => ProxyConfigurationReader.Parse(Encoding.UTF8.GetBytes(json), "p.json"));

        Assert.Equal(key, error.Key);
        Assert.Contains("p.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1:80")]
    [InlineData("host:80")]
    [InlineData("")]
    public void Listener_endpoints_must_be_address_and_port(string endpoint)
    {
        var json = Minimal().Replace("\"127.0.0.1:80\"", $"\"{endpoint}\"", StringComparison.Ordinal);

        var error = Assert.Throws<SandboxConfigurationException>(() => ProxyConfigurationReader.Parse(Encoding.UTF8.GetBytes(json), "p.json"));

        Assert.Equal("listen.http[0]", error.Key);
    }

    [Fact]
    public void A_secret_value_never_appears_in_an_error_or_in_ToString()
    {
        const string real = "REAL-SECRET-VALUE-123456";
        var json = Minimal($", \"masked_secrets\": [{{\"name\": \"T\", \"surrogate\": \"s\", \"value\": \"{real}\", \"scopes\": [\"a\"], \"headers\": [7]}}]");

        var error = Assert.Throws<SandboxConfigurationException>(() => ProxyConfigurationReader.Parse(Encoding.UTF8.GetBytes(json), "p.json"));
        var secret = new ProxyMaskedSecret { Name = "T", Surrogate = "s", Value = real, Scopes = ["a"], Headers = ["h"] };

        Assert.DoesNotContain(real, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(real, secret.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
