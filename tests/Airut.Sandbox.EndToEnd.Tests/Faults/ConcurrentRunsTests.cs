using System.Net;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;
using Xunit.Abstractions;

namespace Airut.Sandbox.EndToEnd.Tests.Faults;

/// <summary>Many runs on one engine at once: each gets its own subnet, network and proxy, and nothing mixes or stays behind.</summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class ConcurrentRunsTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    // Prints the proxy address the run's DNS points at (.100 of its own /24), then holds until the test says go,
    // so that every run is alive at the same time.
    private const string HoldScript =
        "echo proxy=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf); echo started; " +
        "while [ ! -f /workspace/go ]; do sleep 0.2; done; echo finished";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    private readonly PublishedProxyFixture _proxy;
    private readonly ITestOutputHelper _output;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-faults-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public ConcurrentRunsTests(PublishedProxyFixture proxy, ITestOutputHelper output)
    {
        _proxy = proxy;
        _output = output;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "SEC-26")]
    public async Task SEC_26_SEC_14_eight_concurrent_runs_from_two_independent_runners_get_distinct_subnets_networks_and_proxies_and_leave_nothing(string engine)
    {
        // Two runners with their own subnet allocators, as two processes would have: both start at the same octet,
        // so one of them must notice the engine's "already used" and move on (SEC-26).
        await using var first = await SandboxUnderTest.CreateAsync(engine, Scratch("a"), _suffix + "a", _proxy.Directory, output: _output);
        await using var second = await SandboxUnderTest.CreateAsync(engine, Scratch("b"), _suffix + "b", _proxy.Directory, output: _output);
        using var patience = new CancellationTokenSource(Patience);
        var runs = new List<(Task<SandboxRunResult> Result, RecordingOutput Output, TaskCompletionSource Started)>();
        foreach (var sandbox in new[] { first, second, first, second, first, second, first, second })
        {
            var output = new RecordingOutput();
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            output.OnStdout = line =>
            {
                if (line == "started")
                {
                    started.TrySetResult();
                }
            };
            var result = sandbox.Runner.RunAsync(
                new SandboxRunRequest { Command = ["sh", "-c", HoldScript], WorkspaceDirectory = sandbox.Workspace }, output, patience.Token);
            runs.Add((result, output, started));
        }

        try
        {
            await Task.WhenAny(Task.WhenAll(runs.Select(r => r.Started.Task)), Task.WhenAll(runs.Select(r => r.Result)).ContinueWith(_ => { }, TaskScheduler.Default))
                .WaitAsync(Patience);
            Assert.All(runs, r => Assert.True(r.Started.Task.IsCompleted, $"a run ended before all eight were up: {Describe(r.Result)}"));

            // All eight are alive now: each has its own internal network on its own /24, and its proxy is .100 there.
            var networks = (await first.Runtime.ListNetworksAsync(RunLabels.ManagedSelector, CancellationToken.None))
                .Where(n => n.Name.StartsWith($"airut-e2e-{_suffix}", StringComparison.Ordinal) && n.Name.Contains("-conv-", StringComparison.Ordinal))
                .ToList();
            Assert.Equal(8, networks.Count);
            Assert.Equal(8, networks.Select(n => n.Subnet).Distinct().Count());
            Assert.All(networks, n => Assert.True(n.Internal, $"{n.Name} is not internal"));
            var proxies = runs.Select(r => IPAddress.Parse(Assert.Single(r.Output.Stdout, l => l.StartsWith("proxy=", StringComparison.Ordinal))[6..])).ToList();
            Assert.Equal(8, proxies.Distinct().Count());
            Assert.All(proxies, p => Assert.Single(networks, n => n.Subnet == $"{Slash24(p)}.0/24"));
            Assert.All(proxies, p => Assert.EndsWith(".100", p.ToString(), StringComparison.Ordinal));
        }
        finally
        {
            await File.WriteAllTextAsync(Path.Combine(first.Workspace, "go"), string.Empty);
            await File.WriteAllTextAsync(Path.Combine(second.Workspace, "go"), string.Empty);
            await Task.WhenAll(runs.Select(r => r.Result)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        foreach (var (result, output, _) in runs)
        {
            Assert.True((await result).ExitCode == 0, $"exit {(await result).ExitCode}; stderr:\n{string.Join('\n', output.Stderr)}");
            Assert.Equal("finished", output.Stdout[^1]);
        }

        await first.AssertNothingLeftAsync();
        await second.AssertNothingLeftAsync();
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "CLI-84")]
    public async Task CLI_84_IMG_11_two_runs_at_once_in_one_workspace_build_the_image_once_and_each_sees_only_its_own_output_and_network_log(string engine)
    {
        var logs = new CapturingLoggerProvider();
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, Scratch("same"), _suffix, _proxy.Directory, logs: logs);
        using var patience = new CancellationTokenSource(Patience);
        var runs = new[] { "alpha", "beta" }.Select(name =>
        {
            var output = new RecordingOutput();
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            output.OnStdout = line =>
            {
                if (line == "started")
                {
                    started.TrySetResult();
                }
            };
            var networkLog = Path.Combine(_scratch, "logs", name + ".log");
            var script = $"echo started; while [ ! -f /workspace/go ]; do sleep 0.2; done; echo run={name}; " +
                         $"echo blocked=$(curl -s -o /dev/null -w '%{{http_code}}' --max-time 20 https://{name}-only.test/{name})";
            var result = sandbox.Runner.RunAsync(
                new SandboxRunRequest { Command = ["sh", "-c", script], WorkspaceDirectory = sandbox.Workspace, NetworkLogPath = networkLog, FollowNetworkLog = true },
                output,
                patience.Token);
            return (Name: name, Result: result, Output: output, Started: started, NetworkLog: networkLog);
        }).ToList();

        try
        {
            await Task.WhenAny(Task.WhenAll(runs.Select(r => r.Started.Task)), Task.WhenAll(runs.Select(r => r.Result)).ContinueWith(_ => { }, TaskScheduler.Default))
                .WaitAsync(Patience);
            Assert.All(runs, r => Assert.True(r.Started.Task.IsCompleted, $"{r.Name} ended before both were up: {Describe(r.Result)}"));
        }
        finally
        {
            await File.WriteAllTextAsync(Path.Combine(sandbox.Workspace, "go"), string.Empty);
            await Task.WhenAll(runs.Select(r => r.Result)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        foreach (var run in runs)
        {
            var other = runs.Single(r => r.Name != run.Name).Name;
            var result = await run.Result;
            Assert.True(result.ExitCode == 0, $"{run.Name}: exit {result.ExitCode}; stderr:\n{string.Join('\n', run.Output.Stderr)}");
            Assert.Equal(["started", $"run={run.Name}", "blocked=403"], run.Output.Stdout);
            var log = await File.ReadAllTextAsync(run.NetworkLog);
            Assert.Contains($"{run.Name}-only.test", log, StringComparison.Ordinal);
            Assert.DoesNotContain($"{other}-only.test", log, StringComparison.Ordinal);
            Assert.Contains(run.Output.NetworkLog, l => l.StartsWith("BLOCKED", StringComparison.Ordinal) && l.Contains($"{run.Name}-only.test", StringComparison.Ordinal));
            Assert.DoesNotContain(run.Output.NetworkLog, l => l.Contains($"{other}-only.test", StringComparison.Ordinal));
        }

        // The image tag is new to this test, so exactly one of the two runs built it and the other reused it.
        var repositoryBuilds = logs.Messages.Where(m => m.Contains($"airut-e2e-{_suffix}-repo:", StringComparison.Ordinal) && m.Contains("building", StringComparison.Ordinal)).ToList();
        Assert.True(repositoryBuilds.Count == 1, "repository image decisions:\n" + string.Join('\n', logs.Messages.Where(m => m.Contains("-repo:", StringComparison.Ordinal))));
        await sandbox.AssertNothingLeftAsync();
    }

    private string Scratch(string name) => Directory.CreateDirectory(Path.Combine(_scratch, name)).FullName;

    private static string Slash24(IPAddress address) => string.Join('.', address.ToString().Split('.')[..3]);

    private static string Describe(Task<SandboxRunResult> run) =>
        !run.IsCompleted ? "still running" : run.IsFaulted ? run.Exception!.GetBaseException().Message : run.IsCanceled ? "cancelled" : $"exit {run.Result.ExitCode}";
}
