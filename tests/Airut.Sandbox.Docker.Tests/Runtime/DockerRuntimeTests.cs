using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Runtime;

/// <summary>DockerRuntime against the real dockerd at DOCKER_HOST (default unix:///var/run/docker.sock).</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class DockerRuntimeTests : IAsyncLifetime
{
    private readonly DockerTestEnvironment _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private DockerRuntime Runtime => _env.Runtime;

    [Fact]
    public async Task The_daemon_answers_with_its_version_and_the_negotiated_API()
    {
        var info = await Runtime.GetInfoAsync(DockerTestEnvironment.Timeout());

        Assert.Equal("docker", info.Name);
        Assert.False(string.IsNullOrEmpty(info.Version));
        Assert.True(Version.Parse(info.ApiVersion!) >= new Version(1, 40));
    }

    [Fact]
    public async Task A_missing_socket_says_dockerd_is_not_running_and_how_to_start_it()
    {
        var socket = Path.Combine(_env.ResolvConfDirectory, "absent.sock");
        using var runtime = new DockerRuntime(new DockerRuntimeOptions { Endpoint = DockerEndpoint.Unix(socket) });

        var ex = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.GetInfoAsync(DockerTestEnvironment.Timeout()));

        Assert.StartsWith($"dockerd is not running at unix://{socket}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("start it with `dockerd --host", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_error_carries_the_daemons_message()
    {
        var ex = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => _env.CreateContainerAsync(
            new ContainerSpec { Name = _env.Name("noimage"), Image = "localhost/airut/does-not-exist:" + _env.RunId }));

        Assert.Contains("No such image", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("HTTP 404", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attached_run_separates_stdout_from_stderr_and_keeps_the_first_bytes()
    {
        var (exit, stdout, stderr) = await _env.RunAsync("attach", "printf first; echo ' out'; echo err >&2; seq 1 20000 | tail -n 1; exit 3");

        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.OomKilled);
        Assert.Equal("first out\n20000\n", stdout);
        Assert.Equal("err\n", stderr);
    }

    [Fact]
    public async Task RES_01_RES_02_memory_without_swap_cpu_quota_and_pids_limit_reach_the_cgroup()
    {
        // cgroup v2 files first, v1 (this machine: hybrid) otherwise; printed in one normalised form.
        const string script = """
            c=/sys/fs/cgroup
            if [ -f $c/memory.max ]; then
              echo "mem=$(cat $c/memory.max) swap=$(cat $c/memory.swap.max) cpu=$(cat $c/cpu.max | tr ' ' /) pids=$(cat $c/pids.max)"
            else
              m=$(cat $c/memory/memory.limit_in_bytes); ms=$(cat $c/memory/memory.memsw.limit_in_bytes)
              echo "mem=$m swap=$((ms - m)) cpu=$(cat $c/cpu/cpu.cfs_quota_us)/$(cat $c/cpu/cpu.cfs_period_us) pids=$(cat $c/pids/pids.max)"
            fi
            """;

        var (exit, stdout, stderr) = await _env.RunAsync(
            "limits", script, spec => spec with { MemoryBytes = 256L * 1024 * 1024, Cpus = 0.5, PidsLimit = 64 });

        Assert.True(exit.ExitCode == 0, stderr);
        Assert.Equal("mem=268435456 swap=0 cpu=50000/100000 pids=64\n", stdout);
    }

    [Fact]
    public async Task A_tcp_DOCKER_HOST_is_spoken_to_in_plain_HTTP()
    {
        // A loopback TCP port relayed to the daemon's socket stands in for a tcp:// daemon.
        using var relay = new TcpToUnixRelay(DockerEndpoint.DefaultSocketPath);
        using var runtime = new DockerRuntime(new DockerRuntimeOptions { Endpoint = DockerEndpoint.Parse($"tcp://127.0.0.1:{relay.Port}") });

        var info = await runtime.GetInfoAsync(DockerTestEnvironment.Timeout());

        Assert.Equal("docker", info.Name);
        Assert.True(relay.Connections > 0);
    }
}
