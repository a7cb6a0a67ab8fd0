using System.Net;
using System.Net.Sockets;
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
    public async Task Logs_are_demultiplexed_after_the_run()
    {
        var (exit, _, _) = await _env.RunAsync("logs", "echo to-out; echo to-err >&2");

        var logs = await Runtime.GetLogsAsync(_env.Name("logs"), DockerTestEnvironment.Timeout());

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("to-out\n", logs.Stdout);
        Assert.Equal("to-err\n", logs.Stderr);
    }

    [Fact]
    public async Task Started_container_can_be_inspected_killed_waited_and_removed_twice()
    {
        var name = _env.Name("kill");
        var id = await _env.CreateContainerAsync(new ContainerSpec { Name = name, Image = DockerTestEnvironment.ClientImage, Command = ["sleep", "300"] });
        var created = await Runtime.InspectContainerAsync(name, DockerTestEnvironment.Timeout());
        Assert.NotNull(created);
        Assert.False(created.Running);
        Assert.Null(created.ExitCode);

        await Runtime.StartContainerAsync(id, DockerTestEnvironment.Timeout());
        var running = await Runtime.InspectContainerAsync(name, DockerTestEnvironment.Timeout());
        Assert.True(running!.Running);
        Assert.Equal(id, running.Id);
        Assert.Equal(name, running.Name);
        Assert.Equal(DockerTestEnvironment.ClientImage, running.Image);
        Assert.Equal(_env.RunId, running.Labels["airut.test.run"]);

        await Runtime.KillContainerAsync(name, "KILL", DockerTestEnvironment.Timeout());
        var exit = await Runtime.WaitContainerAsync(name, DockerTestEnvironment.Timeout());
        Assert.Equal(137, exit.ExitCode);
        await Runtime.KillContainerAsync(name, "KILL", DockerTestEnvironment.Timeout());

        var listed = await Runtime.ListContainersAsync(_env.Labels, DockerTestEnvironment.Timeout());
        Assert.Equal(137, Assert.Single(listed).ExitCode);

        await Runtime.RemoveContainerAsync(name, DockerTestEnvironment.Timeout());
        await Runtime.RemoveContainerAsync(name, DockerTestEnvironment.Timeout());
        await Runtime.KillContainerAsync(name, "KILL", DockerTestEnvironment.Timeout());
        Assert.Null(await Runtime.InspectContainerAsync(name, DockerTestEnvironment.Timeout()));
        Assert.Empty(await Runtime.ListContainersAsync(_env.Labels, DockerTestEnvironment.Timeout()));
    }

    [Fact]
    public async Task CT_01_capabilities_are_dropped_and_no_new_privileges_is_set()
    {
        var (exit, stdout, _) = await _env.RunAsync(
            "caps", "grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status",
            spec => spec with { CapAdd = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"] });

        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("CapEff:\t00000000000000cb", stdout, StringComparison.Ordinal);
        Assert.Contains("CapBnd:\t00000000000000cb", stdout, StringComparison.Ordinal);
        Assert.Contains("NoNewPrivs:\t1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_sysctls_user_workdir_env_and_readonly_root_reach_the_container()
    {
        var (exit, stdout, stderr) = await _env.RunAsync(
            "limits",
            "cat /proc/sys/net/ipv4/ping_group_range; id -u; pwd; echo \"$GREETING\"; touch /rootfs-write 2>/dev/null && echo writable || echo readonly",
            spec => spec with
            {
                MemoryBytes = 256L * 1024 * 1024,
                Cpus = 0.5,
                PidsLimit = 64,
                Sysctls = new Dictionary<string, string> { ["net.ipv4.ping_group_range"] = "1 0" },
                User = "1000:1000",
                WorkingDirectory = "/tmp",
                Environment = [new("GREETING", "first"), new("GREETING", "hello there")],
                ReadOnlyRootFilesystem = true,
            });

        Assert.True(exit.ExitCode == 0, stderr);
        Assert.Equal("1\t0\n1000\n/tmp\nhello there\nreadonly\n", stdout);
    }

    [Fact]
    public async Task Bind_mounts_are_read_only_or_writable_as_asked()
    {
        using var host = new Unit.TempDirectory();
        host.Write("ro/in.txt", "from host");
        Directory.CreateDirectory(Path.Combine(host.Path, "rw"));
        File.SetUnixFileMode(Path.Combine(host.Path, "rw"), (UnixFileMode)0x1FF);

        var (exit, stdout, _) = await _env.RunAsync(
            "mounts",
            "cat /in/in.txt; echo; touch /in/x 2>/dev/null && echo ro-writable || echo ro-refused; echo out > /out/out.txt && echo rw-ok",
            spec => spec with { Mounts = [new BindMount(Path.Combine(host.Path, "ro"), "/in", ReadOnly: true), new BindMount(Path.Combine(host.Path, "rw"), "/out", ReadOnly: false)] });

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("from host\nro-refused\nrw-ok\n", stdout);
        Assert.Equal("out\n", File.ReadAllText(Path.Combine(host.Path, "rw", "out.txt")));
    }
}
