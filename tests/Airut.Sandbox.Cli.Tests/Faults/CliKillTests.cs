using System.Diagnostics;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of the CLI mid-run, and the next run's sweep. Every CLI run sweeps the leftovers of dead runs, so
/// this class runs alone (<see cref="CliKillRunsAlone"/>): a CLI started by another test class at the same moment could
/// otherwise do the sweep the test expects of its own next run.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
[Collection(Alone)]
public sealed class CliKillTests
{
    /// <summary>The name of the collection this class runs in.</summary>
    public const string Alone = "CLI kill -9, alone";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "SEC-14")]
    public async Task SEC_14_CLI_83_after_a_kill_9_of_the_CLI_the_next_run_removes_exactly_the_dead_runs_resources_and_a_live_run_completes(string engine)
    {
        await using var sandbox = await CliSandbox.CreateAsync(engine);
        var killedWorkspace = sandbox.Workspace("killed");
        var liveWorkspace = sandbox.Workspace("live");
        var killed = sandbox.Start(killedWorkspace, "sh", "-c", "echo started; sleep 600");
        var live = sandbox.Start(liveWorkspace, "sh", "-c", "echo started; while [ ! -f /workspace/go ]; do sleep 0.2; done; echo live-done");
        await killed.WaitForStdoutLineAsync("started", Patience);
        await live.WaitForStdoutLineAsync("started", Patience);
        var killedResources = await sandbox.EverythingOfAsync(killed.Pid);
        var liveResources = await sandbox.EverythingOfAsync(live.Pid);
        // Each run: a proxy and a client container, an internal network, a run directory.
        Assert.True(killedResources.Count == 4, string.Join('\n', killedResources));
        Assert.True(liveResources.Count == 4, string.Join('\n', liveResources));

        Process.GetProcessById(killed.Pid).Kill();
        Assert.Equal(137, await killed.WaitForExitAsync(Patience));
        Assert.Equal(killedResources, await sandbox.EverythingOfAsync(killed.Pid));

        var next = sandbox.Start(sandbox.Workspace("next"), "echo", "fresh");
        var nextExit = await next.WaitForExitAsync(Patience);

        Assert.True(nextExit == 0, next.Stderr);
        Assert.Equal("fresh", next.Stdout);
        Assert.Empty(await sandbox.EverythingOfAsync(killed.Pid));
        Assert.Equal(liveResources, await sandbox.EverythingOfAsync(live.Pid));
        foreach (var resource in killedResources.Where(r => !r.StartsWith('/')))
        {
            Assert.Contains($"Removed leftover resource {resource} of a run whose owner is gone", next.Stderr, StringComparison.Ordinal);
        }

        Assert.All(liveResources, r => Assert.DoesNotContain(Path.GetFileName(r), next.Stderr, StringComparison.Ordinal));
        Assert.Empty(await sandbox.EverythingOfAsync(next.Pid));

        await File.WriteAllTextAsync(Path.Combine(liveWorkspace, "go"), string.Empty);
        Assert.True(await live.WaitForExitAsync(Patience) == 0, live.Stderr);
        Assert.Equal("started\nlive-done", live.Stdout);
        Assert.Empty(await sandbox.EverythingOfAsync(live.Pid));
    }

}

/// <summary>The xunit collection <see cref="CliKillTests"/> runs in, with no other test class beside it.</summary>
[CollectionDefinition(CliKillTests.Alone, DisableParallelization = true)]
public sealed class CliKillRunsAlone;
