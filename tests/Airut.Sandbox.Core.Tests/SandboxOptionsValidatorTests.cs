using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SandboxOptionsValidatorTests
{
    private static readonly SandboxOptionsValidator Validator = new();

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(Validator.Validate(null, new SandboxOptions()).Succeeded);
    }

    [Fact]
    public void Every_bad_option_is_named()
    {
        var result = Validator.Validate(null, new SandboxOptions
        {
            ResourcePrefix = "Bad Prefix",
            RunDirectoryRoot = "relative/runs",
            CacheDirectory = "relative/cache",
            ProxyBaseImage = "base\nRUN x",
            ProxyProgramDirectory = string.Empty,
            ProxyReadyTimeout = TimeSpan.Zero,
            StopGracePeriod = TimeSpan.FromSeconds(-1),
            MaxOutputLineLength = 10,
            SharedEgressNetwork = "--net",
        });

        Assert.True(result.Failed);
        foreach (var name in new[]
                 {
                     nameof(SandboxOptions.ResourcePrefix), nameof(SandboxOptions.RunDirectoryRoot), nameof(SandboxOptions.ProxyBaseImage),
                     nameof(SandboxOptions.ProxyProgramDirectory), nameof(SandboxOptions.ProxyReadyTimeout), nameof(SandboxOptions.StopGracePeriod),
                     nameof(SandboxOptions.MaxOutputLineLength), nameof(SandboxOptions.SharedEgressNetwork), nameof(SandboxOptions.CacheDirectory),
                 })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(name, StringComparison.Ordinal));
        }
    }
}
