using System.Diagnostics;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests.Faults;

/// <summary>The <c>airut-sandbox</c> process under faults on a real engine: killed, signalled, or without a runtime.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class CliFaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("podman", "INT", 130)]
    [InlineData("docker", "INT", 130)]
    [InlineData("podman", "TERM", 143)]
    [InlineData("docker", "TERM", 143)]
    [Trait("Spec", "CLI-61")]
    public async Task CLI_61_CLI_62_a_signal_to_the_CLI_mid_run_stops_a_command_that_ignores_it_within_the_grace_period_and_cleans_up(
        string engine, string signal, int exitCode)
    {
        await using var sandbox = await CliSandbox.CreateAsync(engine);
        var cli = sandbox.Start(sandbox.Workspace("signalled"), "sh", "-c", "trap '' TERM INT HUP; echo started; sleep 600");
        await cli.WaitForStdoutLineAsync("started", Patience);
        var resources = await sandbox.EverythingOfAsync(cli.Pid);
        Assert.True(resources.Count == 4, string.Join('\n', resources));

        var stopwatch = Stopwatch.StartNew();
        await cli.SignalAsync(signal);
        var exit = await cli.WaitForExitAsync(Patience);

        Assert.True(exit == exitCode, $"exit {exit}:\n{cli.Stderr}");
        Assert.Empty(await sandbox.EverythingOfAsync(cli.Pid));
        // The grace period is 5 s, then SIGKILL; teardown comes on top. Generous: the machine is shared.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(90));
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_when_the_proxy_is_removed_mid_run_the_CLI_stops_the_command_and_exits_125_saying_so(string engine)
    {
        await using var sandbox = await CliSandbox.CreateAsync(engine);
        var cli = sandbox.Start(sandbox.Workspace("proxyless"), "sh", "-c", "echo started; while :; do sleep 0.5; done");
        await cli.WaitForStdoutLineAsync("started", Patience);
        var proxy = Assert.Single(await sandbox.ContainersOfAsync(cli.Pid), c => c.Contains("-proxy-", StringComparison.Ordinal));

        var removed = await ExternalCommand.RunAsync(engine, ["rm", "-f", proxy], TimeSpan.FromMinutes(2));
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        var exit = await cli.WaitForExitAsync(Patience);

        Assert.True(exit == 125, $"exit {exit}:\n{cli.Stderr}");
        Assert.Contains($"Sandbox infrastructure error: The proxy container {proxy} stopped during the run", cli.Stderr, StringComparison.Ordinal);
        Assert.Equal("started", cli.Stdout);
        Assert.Empty(await sandbox.EverythingOfAsync(cli.Pid));
    }

    [Fact]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_docker_with_DOCKER_HOST_at_a_missing_socket_exits_125_naming_dockerd_and_how_to_start_it()
    {
        using var workspace = new TemporaryWorkspace();
        var socket = Path.Combine(workspace.Path, "no-such-dir", "docker.sock");
        var stopwatch = Stopwatch.StartNew();

        var result = await ExternalCommand.RunAsync(
            CliProcess.Program,
            ["run", "--container-command", "docker", "--", "echo", "never"],
            TimeSpan.FromMinutes(2),
            workspace.Path,
            new Dictionary<string, string?> { ["DOCKER_HOST"] = "unix://" + socket, ["XDG_DATA_HOME"] = workspace.DataHome });

        Assert.True(result.ExitCode == 125, $"exit {result.ExitCode}:\n{result.Stderr}");
        Assert.Empty(result.Stdout);
        Assert.Contains("Sandbox infrastructure error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"dockerd is not running at unix://{socket}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("start it with `dockerd", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        // The product bound is the 10 s engine probe; a missing socket fails at once. Generous for a loaded machine.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
    }

    [Fact]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_podman_pointed_at_a_service_socket_that_does_not_exist_exits_125_naming_podman_and_how_to_start_it()
    {
        using var workspace = new TemporaryWorkspace();
        var socket = Path.Combine(workspace.Path, "no-such-dir", "podman.sock");
        var stopwatch = Stopwatch.StartNew();

        var result = await ExternalCommand.RunAsync(
            CliProcess.Program,
            ["run", "--container-command", "podman", "--", "echo", "never"],
            TimeSpan.FromMinutes(2),
            workspace.Path,
            new Dictionary<string, string?> { ["CONTAINER_HOST"] = "unix://" + socket, ["XDG_DATA_HOME"] = workspace.DataHome });

        Assert.True(result.ExitCode == 125, $"exit {result.ExitCode}:\n{result.Stderr}");
        Assert.Empty(result.Stdout);
        Assert.Contains("Sandbox infrastructure error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("podman", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(socket, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("podman system service", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
    }

    /// <summary>A workspace with a Dockerfile and a private data home, for runs that must fail before any container.</summary>
    private sealed class TemporaryWorkspace : IDisposable
    {
        public TemporaryWorkspace()
        {
            Path = Directory.CreateTempSubdirectory("airut-cli-faults-").FullName;
            Directory.CreateDirectory(System.IO.Path.Combine(Path, ".airut", "container"));
            File.WriteAllText(System.IO.Path.Combine(Path, ".airut", "container", "Dockerfile"), "FROM localhost/airut/client:bookworm\n");
        }

        public string Path { get; }

        public string DataHome => System.IO.Path.Combine(Path, "data");

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
