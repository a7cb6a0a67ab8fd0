using System.Diagnostics;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Engines;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class DeadRunSweeperRuntimeTests
{
    [Theory]
    [MemberData(nameof(RealEngines.Names), MemberType = typeof(RealEngines))]
    [Trait("Spec", "SEC-38")]
    public async Task SEC_14_SEC_38_a_real_engine_loses_a_dead_owners_container_and_network_and_keeps_a_live_owners(string engine)
    {
        var runtime = RealEngines.Create(engine);
        var processes = new ProcProcessIdentityReader();
        var dead = await IdentityOfAnExitedProcessAsync(processes);
        var live = processes.Current;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var names = new[] { $"airut-test-{suffix}-dead", $"airut-test-{suffix}-live" };
        try
        {
            foreach (var (name, owner) in names.Zip(new[] { dead, live }))
            {
                var labels = RunLabels.For(RunId.New(), owner, "proxy");
                await runtime.CreateNetworkAsync(new NetworkSpec(name, null, Internal: true, IsolateFromHost: true, labels), CancellationToken.None);
                await runtime.CreateContainerAsync(
                    new ContainerSpec { Name = name, Image = RealEngines.BaseImage, Command = ["sleep", "60"], Labels = labels, Networks = [new NetworkAttachment(name)] },
                    CancellationToken.None);
            }

            var result = await new DeadRunSweeper(runtime, processes, NullLogger<DeadRunSweeper>.Instance).SweepAsync(null, CancellationToken.None);

            // Another process's sweeper on this machine may remove the dead run's resources first, so the check
            // is on the engine's state; the live run's resources must be untouched by every sweeper.
            Assert.DoesNotContain(names[1], result.Containers);
            Assert.DoesNotContain(names[1], result.Networks);
            Assert.Null(await runtime.InspectContainerAsync(names[0], CancellationToken.None));
            Assert.Null(await runtime.InspectNetworkAsync(names[0], CancellationToken.None));
            Assert.NotNull(await runtime.InspectContainerAsync(names[1], CancellationToken.None));
            Assert.NotNull(await runtime.InspectNetworkAsync(names[1], CancellationToken.None));
        }
        finally
        {
            foreach (var name in names)
            {
                await runtime.RemoveContainerAsync(name, CancellationToken.None);
                await runtime.RemoveNetworkAsync(name, CancellationToken.None);
            }

            (runtime as IDisposable)?.Dispose();
        }
    }

    private static async Task<ProcessIdentity> IdentityOfAnExitedProcessAsync(ProcProcessIdentityReader processes)
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        var start = processes.ReadStartTime(process.Id) ?? throw new InvalidOperationException("no start time");
        process.Kill();
        await process.WaitForExitAsync();
        return processes.Current with { Pid = process.Id, StartTime = start };
    }
}
