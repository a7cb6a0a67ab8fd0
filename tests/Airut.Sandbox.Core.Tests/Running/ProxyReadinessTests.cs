using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "TOP-8")]
public sealed class ProxyReadinessTests : IDisposable
{
    private readonly InMemoryContainerRuntime _runtime = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("airut-test-").FullName;

    private string ReadyFile => Path.Combine(_directory, "proxy-ready");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task StartAsync(string name)
    {
        File.WriteAllBytes(ReadyFile, []);
        await _runtime.CreateContainerAsync(new ContainerSpec { Name = name, Image = "proxy" }, default);
        await _runtime.StartContainerAsync(name, default);
    }

    [Fact]
    public async Task TOP_8_the_ready_file_with_its_endpoints_ends_the_wait_and_the_engine_watch()
    {
        await StartAsync("p");
        var waiting = ProxyReadiness.WaitAsync(_runtime, "p", ReadyFile, TimeSpan.FromSeconds(60), TimeProvider.System, default);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        await File.WriteAllTextAsync(ReadyFile, "http=10.199.1.100:80 https=10.199.1.100:443\n");

        await waiting;
    }

    [Fact]
    public async Task TOP_8_a_proxy_that_exits_fails_at_once_with_its_exit_code_and_output()
    {
        await StartAsync("p");
        _runtime.Containers["p"] = _runtime.Containers["p"] with { Running = false, ExitCode = 78 };
        _runtime.Logs["p"] = new ContainerLogs(string.Empty, "airut-proxy: configuration error: bad listen address\n");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => ProxyReadiness.WaitAsync(_runtime, "p", ReadyFile, TimeSpan.FromMinutes(10), TimeProvider.System, default));

        Assert.Contains("exited before it was ready (exit code 78)", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad listen address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TOP_8_a_ready_file_without_its_final_newline_is_not_readiness_and_the_timeout_carries_the_output()
    {
        await StartAsync("p");
        await File.WriteAllTextAsync(ReadyFile, "http=10.199.1.100:80");
        _runtime.Logs["p"] = new ContainerLogs("starting\n", "slow\n");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => ProxyReadiness.WaitAsync(_runtime, "p", ReadyFile, TimeSpan.FromMilliseconds(300), TimeProvider.System, default));

        Assert.Contains("not ready after", error.Message, StringComparison.Ordinal);
        Assert.Contains("slow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait()
    {
        await StartAsync("p");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ProxyReadiness.WaitAsync(_runtime, "p", ReadyFile, TimeSpan.FromMinutes(10), TimeProvider.System, cancel.Token));
    }
}
