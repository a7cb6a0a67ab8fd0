using Airut.Sandbox.Testing;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>README's main job, run as a user would: eng/demo.sh on each engine.</summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class DemoTests
{
    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    public async Task The_demo_shows_an_allowed_request_a_blocked_one_and_the_masked_secret_arriving_real_upstream(string engine)
    {
        var result = await ExternalCommand.RunAsync(
            "bash",
            [Path.Combine(RepositoryRoot.Path, "eng", "demo.sh")],
            TimeSpan.FromMinutes(15),
            RepositoryRoot.Path,
            new Dictionary<string, string?> { ["AIRUT_CONTAINER_RUNTIME"] = engine });

        Assert.True(result.ExitCode == 0, $"demo failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        var output = result.Stdout;
        Assert.Contains("\"path\": \"/allowed/hello\"", output, StringComparison.Ordinal);
        Assert.Contains("blocked_by_network_allowlist", output, StringComparison.Ordinal);
        Assert.Matches(@"DEMO_TOKEN is a surrogate: ghp_\w{8}\.\.\. \(40 characters\)", output);
        Assert.Contains("\"authorization\": \"the real token (the proxy swapped it in)\"", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ALLOWED GET https://api\.demo\.test/allowed/hello -> 200", output);
        Assert.Matches(@"(?m)^BLOCKED GET https://api\.demo\.test/private/data -> 403", output);
        Assert.Matches(@"(?m)^ALLOWED GET https://api\.demo\.test/allowed/whoami -> 200 \[masked: 1\]", output);
        Assert.Matches(@"(?m)^DNS A api\.demo\.test", output);
    }
}
