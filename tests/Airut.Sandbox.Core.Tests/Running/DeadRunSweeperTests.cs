using System.Net;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DeadRunSweeperTests : IDisposable
{
    private static readonly ProcessIdentity Me = new("host-a", 100, 5000, "boot-1", "pid:[4026531836]");
    private static readonly ProcessIdentity LiveOther = Me with { Pid = 200, StartTime = 7000 };
    private static readonly ProcessIdentity Gone = Me with { Pid = 300, StartTime = 8000 };
    private static readonly ProcessIdentity Reused = Me with { Pid = 400, StartTime = 9000 };

    private readonly InMemoryContainerRuntime _runtime = new();
    private readonly FakeProcessIdentityReader _processes = new(Me);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "airut-test-" + Guid.NewGuid().ToString("N"));
    private readonly DeadRunSweeper _sweeper;

    public DeadRunSweeperTests()
    {
        _processes.StartTimes[LiveOther.Pid] = LiveOther.StartTime;
        _processes.StartTimes[Reused.Pid] = 1234;
        _sweeper = new DeadRunSweeper(_runtime, _processes, NullLogger<DeadRunSweeper>.Instance);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void AddRun(string name, ProcessIdentity owner)
    {
        var runId = RunId.New();
        _runtime.Containers[name + "-proxy"] = new ContainerInfo(
            name + "-proxy", name + "-proxy", "img", Running: true, null, false, RunLabels.For(runId, owner, "proxy"), new Dictionary<string, IPAddress>());
        _runtime.Networks[name + "-net"] = new NetworkInfo(name + "-net", name + "-net", "10.199.1.0/24", null, true, RunLabels.For(runId, owner, "network"));
    }

    [Fact]
    [Trait("Spec", "SEC-14")]
    public async Task SEC_14_SEC_38_sweeps_only_resources_whose_owner_is_gone()
    {
        AddRun("mine", Me);
        AddRun("live", LiveOther);
        AddRun("gone", Gone);
        AddRun("reused", Reused);
        _runtime.Containers["foreign"] = new ContainerInfo("foreign", "foreign", "img", true, null, false, new Dictionary<string, string>(), new Dictionary<string, IPAddress>());
        _runtime.Containers["unlabelled"] = new ContainerInfo(
            "unlabelled", "unlabelled", "img", true, null, false, RunLabels.ManagedSelector, new Dictionary<string, IPAddress>());

        var result = await _sweeper.SweepAsync(null, CancellationToken.None);

        Assert.Equal(["gone-proxy", "reused-proxy"], result.Containers.Order(StringComparer.Ordinal));
        Assert.Equal(["gone-net", "reused-net"], result.Networks.Order(StringComparer.Ordinal));
        Assert.Equal(["foreign", "live-proxy", "mine-proxy", "unlabelled"], _runtime.Containers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["live-net", "mine-net"], _runtime.Networks.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Spec", "CLI-83")]
    public async Task CLI_83_containers_are_removed_before_networks()
    {
        AddRun("gone", Gone);
        await _sweeper.SweepAsync(null, CancellationToken.None);
        Assert.Equal(["container rm gone-proxy", "network rm gone-net"], _runtime.Calls.ToArray());
    }

    [Fact]
    [Trait("Spec", "SEC-09")]
    public async Task SEC_09_run_directories_of_dead_owners_are_removed_and_live_ones_kept()
    {
        using var live = RunDirectory.Create(_root, RunId.New(), LiveOther);
        var dead = RunDirectory.Create(_root, RunId.New(), Gone);
        dead.WriteSecretFile("proxy.json", "{}"u8);
        Directory.CreateDirectory(Path.Combine(_root, "not-a-run"));

        var result = await _sweeper.SweepAsync(_root, CancellationToken.None);

        Assert.Equal([dead.FullPath], result.Directories);
        Assert.False(Directory.Exists(dead.FullPath));
        Assert.True(Directory.Exists(live.FullPath));
        Assert.True(Directory.Exists(Path.Combine(_root, "not-a-run")));
    }

    [Fact]
    [Trait("Spec", "TOP-12")]
    public async Task TOP_12_a_failure_to_list_is_skipped_and_the_network_step_still_runs()
    {
        AddRun("gone", Gone);
        _runtime.ListContainersError = new SandboxInfrastructureException("engine says no");

        var result = await _sweeper.SweepAsync(null, CancellationToken.None);

        Assert.Empty(result.Containers);
        Assert.Equal(["gone-net"], result.Networks);
    }
}
