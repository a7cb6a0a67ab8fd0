using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;
using Xunit.Abstractions;

namespace Airut.Sandbox.EndToEnd.Tests.Faults;

/// <summary>The proxy is the command's only way out: when it dies mid-run, egress stops and the run fails as infrastructure.</summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class ProxyDeathTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    private readonly PublishedProxyFixture _proxy;
    private readonly ITestOutputHelper _output;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-faults-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public ProxyDeathTests(PublishedProxyFixture proxy, ITestOutputHelper output)
    {
        _proxy = proxy;
        _output = output;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_TOP_15_removing_the_proxy_mid_run_leaves_the_command_no_egress_and_ends_the_run_as_an_infrastructure_error(string engine)
    {
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, networkSandbox: false, output: _output);
        await using var upstream = await UpstreamServer.StartAsync(
            sandbox.Runtime, $"airut-e2e-{_suffix}-upstream", sandbox.EgressNetwork, SandboxUnderTest.ClientImage, "unused");
        await sandbox.UseUpstreamAsync(upstream);
        // Every round: one request through the proxy, and one straight at the upstream's address, which must never work.
        var script =
            "while :; do " +
            $"echo probe=$(curl -s --max-time 5 https://{UpstreamServer.HostName}/probe); " +
            $"echo direct=$(curl -sk -o /dev/null -w '%{{http_code}}' --max-time 3 https://{upstream.Address}/direct); " +
            "sleep 0.5; done";
        var probing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sandbox.Output.OnStdout = line =>
        {
            if (line == "probe=nomatch")
            {
                probing.TrySetResult();
            }
        };
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(10));

        var run = sandbox.Runner.RunAsync(new SandboxRunRequest { Command = ["sh", "-c", script], WorkspaceDirectory = sandbox.Workspace }, sandbox.Output, patience.Token);
        await Task.WhenAny(probing.Task, run).WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(probing.Task.IsCompleted, "the command never reached the upstream through the proxy: " + string.Join('\n', sandbox.Output.Stderr));
        var proxy = Assert.Single(
            await sandbox.Runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None),
            c => c.Name.StartsWith($"airut-e2e-{_suffix}-proxy-", StringComparison.Ordinal));
        await sandbox.Runtime.RemoveContainerAsync(proxy.Id, CancellationToken.None);
        var hitsWhenTheProxyDied = (await upstream.HitsAsync()).Count;

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => run);

        Assert.Contains($"proxy container {proxy.Name} stopped during the run", error.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var hits = await upstream.HitsAsync();
        Assert.Equal(hitsWhenTheProxyDied, hits.Count);
        Assert.All(hits, h => Assert.Equal("/probe", h));
        Assert.All(sandbox.Output.Stdout.Where(l => l.StartsWith("direct=", StringComparison.Ordinal)), l => Assert.Equal("direct=000", l));
        Assert.DoesNotContain(sandbox.Output.Stdout, l => l.StartsWith("probe=", StringComparison.Ordinal) && l is not ("probe=nomatch" or "probe="));
        await sandbox.AssertNothingLeftAsync();
    }
}
