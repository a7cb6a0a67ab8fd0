using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>The examples in docs/configuration.md load, so the reference cannot drift from the loader.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed partial class DocumentationExampleTests
{
    private static List<string> YamlBlocks()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Airut.Sandbox.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var markdown = File.ReadAllText(Path.Combine(directory.FullName, "docs", "configuration.md"));
        return YamlBlock().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void Allowlist_example_loads()
    {
        var allowlist = ParseAllowlist(YamlBlocks().Single(b => b.StartsWith("domains:", StringComparison.Ordinal)));
        Assert.Equal(["api.anthropic.com", "*.githubusercontent.com"], allowlist.Domains);
        Assert.Equal(2, allowlist.UrlPrefixes.Count);
        Assert.Equal(["createIssue"], allowlist.UrlPrefixes[1].GraphQl!.Mutations);
    }

    [Fact]
    public async Task Sandbox_example_loads()
    {
        using var repo = new TemporaryDirectory();
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using var certificate = new CertificateRequest("CN=Docs CA", key, HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            repo.Write(".airut/upstream-ca.pem", certificate.ExportCertificatePem());
        }

        var env = new Dictionary<string, string>
        {
            ["GH_TOKEN"] = "gh", ["AWS_ACCESS_KEY_ID"] = "aki", ["AWS_SECRET_ACCESS_KEY"] = "sak", ["AWS_SESSION_TOKEN"] = "tok",
        };
        var config = await SandboxAsync(YamlBlocks().Single(b => b.StartsWith("env:", StringComparison.Ordinal)), env, repo.Path);

        Assert.Equal(2, config.Env.Count);
        Assert.Equal("GH_TOKEN", config.MaskedSecrets.Single().EnvName);
        Assert.Equal("AWS_SESSION_TOKEN", config.SigningCredentials.Single().SessionTokenEnvName);
        Assert.Equal(4L * 1024 * 1024 * 1024, config.ResourceLimits.MemoryBytes);
        Assert.Equal("fd00::7", config.UpstreamHosts![1].Address.ToString());
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
