using Airut.Sandbox.Testing;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>Proves that eng/setup-engines.sh left both engines working with the offline images.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class EngineSetupTests
{
    public static TheoryData<string, string> EnginesAndImages => new()
    {
        { "podman", "localhost/airut/debian:bookworm" },
        { "podman", "localhost/airut/client:bookworm" },
        { "docker", "localhost/airut/debian:bookworm" },
        { "docker", "localhost/airut/client:bookworm" },
    };

    [Theory]
    [MemberData(nameof(EnginesAndImages))]
    public async Task Engine_runs_a_container_from_the_offline_image_and_removes_it(string engine, string image)
    {
        var name = $"airut-test-smoke-{Guid.NewGuid():N}";
        try
        {
            var run = await ExternalCommand.RunAsync(
                engine,
                ["run", "--name", name, "--network", "none", image, "sh", "-c", "echo \"smoke $(cat /etc/debian_version)\""],
                TimeSpan.FromMinutes(2));

            Assert.True(run.ExitCode == 0, $"{engine} run failed ({run.ExitCode}): {run.Stderr}");
            Assert.StartsWith("smoke 12.", run.Stdout.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            await ExternalCommand.RunAsync(engine, ["rm", "-f", name], TimeSpan.FromMinutes(1));
        }

        var inspect = await ExternalCommand.RunAsync(engine, ["container", "inspect", name], TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, inspect.ExitCode);
    }

    [Fact]
    public async Task The_client_image_has_the_tools_attack_tests_use()
    {
        var name = $"airut-test-tools-{Guid.NewGuid():N}";
        try
        {
            var run = await ExternalCommand.RunAsync(
                "podman",
                ["run", "--name", name, "--network", "none", "localhost/airut/client:bookworm", "sh", "-c",
                 "for t in curl git python3 openssl ip dig nc ping ps; do command -v $t >/dev/null || echo missing $t; done; echo done"],
                TimeSpan.FromMinutes(2));

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("done", run.Stdout.Trim());
        }
        finally
        {
            await ExternalCommand.RunAsync("podman", ["rm", "-f", name], TimeSpan.FromMinutes(1));
        }
    }
}
