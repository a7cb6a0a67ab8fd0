using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>Short ways to load configuration text in tests. File names in messages are "sandbox.yaml" and "allowlist.yaml".</summary>
internal static class ConfigurationFixture
{
    public const string SandboxFile = "sandbox.yaml";
    public const string AllowlistFile = "allowlist.yaml";

    public static Task<SandboxConfiguration> SandboxAsync(
        string yaml, IReadOnlyDictionary<string, string>? env = null, string? repositoryRoot = null) =>
        new SandboxConfigurationLoader(new FakeEnvironment(env), NullLogger<SandboxConfigurationLoader>.Instance)
            .ParseAsync(SandboxFile, yaml, repositoryRoot ?? Path.GetTempPath(), CancellationToken.None);

    public static Task<SandboxConfigurationException> SandboxErrorAsync(
        string yaml, IReadOnlyDictionary<string, string>? env = null, string? repositoryRoot = null) =>
        Assert.ThrowsAsync<SandboxConfigurationException>(() => SandboxAsync(yaml, env, repositoryRoot));

    public static Allowlist ParseAllowlist(string yaml) => AllowlistLoader.Parse(AllowlistFile, yaml);

    public static SandboxConfigurationException AllowlistError(string yaml) =>
        Assert.Throws<SandboxConfigurationException>(() => AllowlistLoader.Parse(AllowlistFile, yaml));

    /// <summary>Asserts the error's position and key.</summary>
    public static void AssertAt(SandboxConfigurationException error, string file, int line, int column, string? key)
    {
        Assert.NotNull(error.Location);
        Assert.Equal(file, error.Location.File);
        Assert.Equal((line, column), (error.Location.Line, error.Location.Column));
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{file}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }
}
