using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "TOP-8")]
public sealed class ProxyReadinessTests
{
    private readonly InMemoryContainerRuntime _runtime = new();

    private async Task StartAsync(string name)
    {
        await _runtime.CreateContainerAsync(new ContainerSpec { Name = name, Image = "proxy" }, default);
        await _runtime.StartContainerAsync(name, default);
    }

    [Fact]
    public async Task TOP_8_the_ready_line_with_its_endpoints_ends_the_wait()
    {
        await StartAsync("p");
        _runtime.Logs["p"] = new ContainerLogs("=== TASK START\nairut-proxy ready http=10.199.1.100:80 https=10.199.1.100:443\n", string.Empty);
        await ProxyReadiness.WaitAsync(_runtime, "p", TimeSpan.FromSeconds(5), TimeProvider.System, default);
    }

    [Fact]
    public async Task TOP_8_a_proxy_that_exits_fails_at_once_with_its_output()
    {
        await StartAsync("p");
        _runtime.Containers["p"] = _runtime.Containers["p"] with { Running = false, ExitCode = 78 };
        _runtime.Logs["p"] = new ContainerLogs(string.Empty, "airut-proxy: configuration error: bad listen address\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => ProxyReadiness.WaitAsync(_runtime, "p", TimeSpan.FromSeconds(30), TimeProvider.System, default));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Contains("exited before it was ready (exit code 78)", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad listen address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TOP_8_a_line_that_only_starts_like_the_ready_line_is_not_readiness()
    {
        await StartAsync("p");
        _runtime.Logs["p"] = new ContainerLogs("airut-proxy ready-ish\nBLOCKED airut-proxy ready\n", string.Empty);
        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => ProxyReadiness.WaitAsync(_runtime, "p", TimeSpan.FromMilliseconds(300), TimeProvider.System, default));
        Assert.Contains("not ready after", error.Message, StringComparison.Ordinal);
    }
}
