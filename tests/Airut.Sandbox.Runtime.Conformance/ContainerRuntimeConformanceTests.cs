using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Runtime.Conformance;

/// <summary>
/// What every <see cref="IContainerRuntime"/> must do, checked against a real engine. Derive it once per engine,
/// give the derived class <c>[Trait(TestCategories.Name, TestCategories.Runtime)]</c> and return the runtime from
/// <see cref="CreateRuntime"/>. Each test gets its own name prefix (<c>airut-test-&lt;random&gt;</c>) and suite
/// label; everything it creates is removed in <see cref="DisposeAsync"/>, then swept by that label.
/// Traffic goes only to containers and networks the test created and to listeners the test runs on this host.
/// </summary>
public abstract class ContainerRuntimeConformanceTests : IAsyncLifetime
{
    /// <summary>Label key naming the suite instance that created a resource.</summary>
    public const string SuiteLabel = "io.airut.test.suite";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private readonly List<string> _containers = [];
    private readonly List<string> _networks = [];
    private readonly List<string> _images = [];
    private readonly List<string> _directories = [];
    private int _counter;
    private IContainerRuntime? _runtime;

    /// <summary>Creates the suite instance with a fresh prefix.</summary>
    protected ContainerRuntimeConformanceTests()
    {
        Prefix = "airut-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        Labels = new Dictionary<string, string> { [SuiteLabel] = Prefix };
    }

    /// <summary>Name prefix of everything this instance creates.</summary>
    protected string Prefix { get; }

    /// <summary>Labels put on everything this instance creates.</summary>
    protected IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The runtime under test.</summary>
    protected IContainerRuntime Runtime => _runtime ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Minimal offline base image (debootstrap minbase + curl).</summary>
    protected virtual string BaseImage => "localhost/airut/debian:bookworm";

    /// <summary>Offline image with python3, iproute2, netcat-openbsd, procps.</summary>
    protected virtual string ClientImage => "localhost/airut/client:bookworm";

    /// <summary>Engine name the runtime must report.</summary>
    protected abstract string ExpectedName { get; }

    /// <summary>Creates the runtime under test.</summary>
    protected abstract IContainerRuntime CreateRuntime();

    /// <inheritdoc />
    public Task InitializeAsync()
    {
        _runtime = CreateRuntime();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_runtime is null)
        {
            return;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        foreach (var container in _containers)
        {
            await IgnoreFailureAsync(() => Runtime.RemoveContainerAsync(container, cts.Token));
        }

        foreach (var container in await Runtime.ListContainersAsync(Labels, cts.Token))
        {
            await IgnoreFailureAsync(() => Runtime.RemoveContainerAsync(container.Id, cts.Token));
        }

        foreach (var network in _networks)
        {
            await IgnoreFailureAsync(() => Runtime.RemoveNetworkAsync(network, cts.Token));
        }

        foreach (var network in await Runtime.ListNetworksAsync(Labels, cts.Token))
        {
            await IgnoreFailureAsync(() => Runtime.RemoveNetworkAsync(network.Name, cts.Token));
        }

        foreach (var image in _images)
        {
            await IgnoreFailureAsync(() => Runtime.RemoveImageAsync(image, cts.Token));
        }

        foreach (var directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    // ---------------------------------------------------------------- engine and images

    [Fact]
    public async Task Runtime_reports_its_name_and_version()
    {
        var info = await Runtime.GetInfoAsync(Timeout());

        Assert.Equal(ExpectedName, Runtime.Name);
        Assert.Equal(ExpectedName, info.Name);
        Assert.False(string.IsNullOrWhiteSpace(info.Version));
    }

    [Fact]
    public async Task Image_built_from_a_context_is_inspectable_with_labels_and_creation_time_then_removable()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        var tag = await BuildTestImageAsync("marker-1");

        var image = await Runtime.InspectImageAsync(tag, Timeout());

        Assert.NotNull(image);
        Assert.False(string.IsNullOrEmpty(image.Id));
        Assert.Contains(image.Tags, t => t.EndsWith(tag.Split('/')[^1], StringComparison.Ordinal));
        Assert.Equal(Prefix, image.Labels[SuiteLabel]);
        Assert.InRange(image.Created, before, DateTimeOffset.UtcNow.AddMinutes(5));

        var run = Spec(tag, "cat", "/marker.txt");
        var (exit, stdout, _) = await RunAsync(run);
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("marker-1\n", stdout);
        await Runtime.RemoveContainerAsync(run.Name, Timeout());

        await Runtime.RemoveImageAsync(tag, Timeout());
        Assert.Null(await Runtime.InspectImageAsync(tag, Timeout()));
        await Runtime.RemoveImageAsync(tag, Timeout());
    }

    [Fact]
    public async Task Image_build_failure_is_an_infrastructure_error()
    {
        var context = NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {BaseImage}\nCOPY does-not-exist /x\n");
        var tag = $"localhost/{Prefix}-broken:latest";
        _images.Add(tag);

        await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Runtime.BuildImageAsync(
            new ImageBuildRequest(context, Path.Combine(context, "Dockerfile"), tag, NoCache: true, Labels), null, Timeout()));
        Assert.Null(await Runtime.InspectImageAsync(tag, Timeout()));
    }

    [Fact]
    public async Task Identical_builds_under_different_tags_all_succeed_while_each_tag_is_removed_as_soon_as_it_is_built()
    {
        // The image store is shared with everyone using the engine, and the layer cache ties identical builds together:
        // removing one image must not fail another build that reused its layers.
        var context = NewDirectory();
        await File.WriteAllBytesAsync(Path.Combine(context, "blob"), RandomNumberGenerator.GetBytes(1 << 20));
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {BaseImage}\nCOPY blob /opt/blob\nLABEL step=last\n");
        var tags = Enumerable.Range(0, 3).Select(i => $"localhost/{Prefix}-race-{i}:latest").ToList();
        _images.AddRange(tags);

        async Task BuildAndRemoveAsync(string tag)
        {
            for (var i = 0; i < 8; i++)
            {
                await Runtime.BuildImageAsync(
                    new ImageBuildRequest(context, Path.Combine(context, "Dockerfile"), tag, NoCache: false, Labels), null, Timeout(TimeSpan.FromMinutes(3)));
                await Runtime.RemoveImageAsync(tag, Timeout());
            }
        }

        await Task.WhenAll(tags.Select(BuildAndRemoveAsync));
    }

    [Fact]
    public async Task Inspecting_a_missing_image_returns_null()
    {
        Assert.Null(await Runtime.InspectImageAsync($"localhost/{Prefix}-missing:latest", Timeout()));
    }

    [Fact]
    public async Task Saved_images_load_back_with_the_same_id()
    {
        var tag = await BuildTestImageAsync("saved");
        var id = (await Runtime.InspectImageAsync(tag, Timeout()))!.Id;
        var archive = Path.Combine(NewDirectory(), "images.tar");

        await Runtime.SaveImagesAsync([tag], archive, Timeout());
        Assert.True(new FileInfo(archive).Length > 0);
        await Runtime.RemoveImageAsync(tag, Timeout());
        Assert.Null(await Runtime.InspectImageAsync(tag, Timeout()));

        await Runtime.LoadImagesAsync(archive, Timeout());

        var loaded = await Runtime.InspectImageAsync(tag, Timeout());
        Assert.NotNull(loaded);
        Assert.Equal(id, loaded.Id);
        var (exit, stdout, _) = await RunAsync(Spec(tag, "cat", "/marker.txt"));
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("saved\n", stdout);
    }

    // ---------------------------------------------------------------- networks

    [Fact]
    public async Task Network_is_created_with_subnet_labels_and_internal_flag_and_listed_by_label()
    {
        var (name, subnet) = await CreateNetworkAsync(isolateFromHost: true);

        var network = await Runtime.InspectNetworkAsync(name, Timeout());

        Assert.NotNull(network);
        Assert.Equal(name, network.Name);
        Assert.Equal(subnet, network.Subnet);
        Assert.True(network.Internal);
        Assert.Null(network.Gateway);
        Assert.Equal(Prefix, network.Labels[SuiteLabel]);
        var listed = await Runtime.ListNetworksAsync(Labels, Timeout());
        Assert.Equal([name], listed.Select(n => n.Name));
        var other = await Runtime.ListNetworksAsync(new Dictionary<string, string> { [SuiteLabel] = Prefix + "-other" }, Timeout());
        Assert.Empty(other);
    }

    [Fact]
    public async Task Removed_network_is_gone_and_removing_it_again_succeeds()
    {
        var (name, _) = await CreateNetworkAsync(isolateFromHost: true);

        await Runtime.RemoveNetworkAsync(name, Timeout());

        Assert.Null(await Runtime.InspectNetworkAsync(name, Timeout()));
        Assert.Empty(await Runtime.ListNetworksAsync(Labels, Timeout()));
        await Runtime.RemoveNetworkAsync(name, Timeout());
    }

    [Fact]
    public async Task Inspecting_a_missing_network_or_container_returns_null()
    {
        Assert.Null(await Runtime.InspectNetworkAsync(Prefix + "-missing", Timeout()));
        Assert.Null(await Runtime.InspectContainerAsync(Prefix + "-missing", Timeout()));
    }

    // ---------------------------------------------------------------- containers: spec fields

    [Fact]
    public async Task Environment_mounts_workdir_user_and_labels_are_visible_inside()
    {
        var ro = NewDirectory();
        var rw = NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(ro, "in.txt"), "from-host");
        var spec = Spec(
            ClientImage,
            "sh",
            "-c",
            "echo \"A=$A\"; echo \"B=$B\"; pwd; id -u; id -g; cat /in/in.txt; echo; " +
            "echo written > /out/out.txt && echo rw-ok; (echo x > /in/nope.txt) 2>/dev/null || echo ro-ok") with
        {
            Environment = [new("A", "first"), new("B", "x=y"), new("A", "second")],
            Mounts = [new BindMount(ro, "/in", ReadOnly: true), new BindMount(rw, "/out", ReadOnly: false)],
            WorkingDirectory = "/tmp",
            User = "1234:4321",
            DropAllCapabilities = true,
        };
        MakeWorldWritable(rw);
        File.SetUnixFileMode(ro, (UnixFileMode)0x1ED); // 0755: readable by the container user

        var (exit, stdout, stderr) = await RunAsync(spec);

        Assert.True(exit.ExitCode == 0, stderr);
        Assert.Equal("A=second\nB=x=y\n/tmp\n1234\n4321\nfrom-host\nrw-ok\nro-ok\n", stdout);
        Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(rw, "out.txt")));
        var info = await Runtime.InspectContainerAsync(spec.Name, Timeout());
        Assert.NotNull(info);
        Assert.Equal(Prefix, info.Labels[SuiteLabel]);
        Assert.Equal("yes", info.Labels["io.airut.test.extra"]);
    }

    [Fact]
    public async Task CFG_05_arguments_with_newlines_equals_and_leading_dashes_reach_the_process_unchanged()
    {
        var spec = Spec(ClientImage, "--not-an-option", "a=b", "line1\nline2", "two words", "") with
        {
            Entrypoint = ["/bin/sh", "-c", "for a in \"$@\"; do printf '<%s>' \"$a\"; done; printf '\\n'; printf '%s' \"$V\"", "sh"],
            Environment = [new("V", "--env=X\nY=Z")],
        };

        var (exit, stdout, stderr) = await RunAsync(spec);

        Assert.True(exit.ExitCode == 0, stderr);
        Assert.Equal("<--not-an-option><a=b><line1\nline2><two words><>\n--env=X\nY=Z", stdout);
    }

    [Fact]
    public async Task Read_only_root_filesystem_refuses_writes()
    {
        var spec = Spec(ClientImage, "sh", "-c", "touch /probe 2>/dev/null && echo wrote || echo refused") with { ReadOnlyRootFilesystem = true };

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("refused\n", stdout);
    }

    [Fact]
    public async Task CT_01_dropping_all_capabilities_leaves_CapEff_zero_and_NoNewPrivs_set()
    {
        var spec = Spec(ClientImage, "grep", "-E", "^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs):", "/proc/self/status");

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        var fields = ParseStatus(stdout);
        Assert.Equal("0000000000000000", fields["CapEff"]);
        Assert.Equal("0000000000000000", fields["CapPrm"]);
        Assert.Equal("0000000000000000", fields["CapBnd"]);
        Assert.Equal("0000000000000000", fields["CapAmb"]);
        Assert.Equal("1", fields["NoNewPrivs"]);
    }

    [Fact]
    public async Task CT_01_added_capabilities_are_exactly_the_ones_asked_for()
    {
        var spec = Spec(ClientImage, "grep", "-E", "^(CapEff|CapBnd|NoNewPrivs):", "/proc/self/status") with
        {
            CapAdd = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
        };

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        var fields = ParseStatus(stdout);
        Assert.Equal("00000000000000cb", fields["CapEff"]);
        Assert.Equal("00000000000000cb", fields["CapBnd"]);
        Assert.Equal("1", fields["NoNewPrivs"]);
    }

    [Fact]
    public async Task CT_02_CT_03_CT_04_privileged_operations_are_refused_even_for_root()
    {
        // Only operations that are harmless if they succeeded: a broken backend must fail the test, not the host.
        string[] attempts =
        [
            "mount -t tmpfs x /mnt",
            "unshare -n true",
            "mknod /tmp/blockdev b 8 0",
            "chroot / true",
            "sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'",
            "ip addr add 10.9.9.9/32 dev lo",
            "python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)'",
            "python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW)'",
        ];
        var script = "id -u; " + string.Concat(attempts.Select(a => $"if {a} >/dev/null 2>&1; then echo 'ALLOWED: {a.Replace("'", "", StringComparison.Ordinal)}'; fi; "));

        var (exit, stdout, stderr) = await RunAsync(Spec(ClientImage, "sh", "-c", script));

        Assert.True(exit.ExitCode == 0, stderr);
        Assert.Equal("0\n", stdout);
    }

    [Fact]
    public async Task CT_06_no_runtime_socket_runtime_env_or_host_process_is_visible()
    {
        const string Script =
            "for s in /var/run/docker.sock /run/docker.sock /run/podman/podman.sock /run/containerd/containerd.sock; do " +
            "[ -e $s ] && echo SOCKET $s; done; env | grep -E '^(DOCKER_HOST|CONTAINER_HOST)=' ; " +
            "echo pids $(ls /proc | grep -cE '^[0-9]+$'); echo host $(hostname)";

        var (exit, stdout, _) = await RunAsync(Spec(ClientImage, "sh", "-c", Script));

        Assert.Equal(0, exit.ExitCode);
        Assert.DoesNotContain("SOCKET", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("_HOST=", stdout, StringComparison.Ordinal);
        var pids = int.Parse(stdout.Split('\n').Single(l => l.StartsWith("pids ", StringComparison.Ordinal))[5..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(pids, 1, 8);
        Assert.DoesNotContain($"host {Environment.MachineName}\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NET_02_NET_03_sysctls_are_applied()
    {
        var spec = Spec(ClientImage, "cat", "/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv4/ping_group_range") with
        {
            Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "0", ["net.ipv4.ping_group_range"] = "1 0" },
        };

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", lines[0].Trim());
        Assert.Equal(["1", "0"], lines[1].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task DNS_servers_are_the_resolvers_localhost_is_loopback_and_the_host_has_no_alias_in_etc_hosts()
    {
        var (network, _) = await CreateNetworkAsync(isolateFromHost: true);
        var spec = Spec(ClientImage, "sh", "-c", "cat /etc/resolv.conf; echo ---; cat /etc/hosts 2>/dev/null; echo ---; getent hosts localhost") with
        {
            Networks = [new NetworkAttachment(network)],
            DnsServers = [IPAddress.Parse("10.0.0.53")],
        };

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        var parts = stdout.Split("---\n");
        var nameservers = parts[0].Split('\n').Where(l => l.StartsWith("nameserver", StringComparison.Ordinal)).ToList();
        Assert.Equal(["nameserver 10.0.0.53"], nameservers);
        foreach (var line in parts[1].Split('\n'))
        {
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields.Skip(1).Any(f => f.StartsWith("host.", StringComparison.Ordinal) || f.StartsWith("gateway.", StringComparison.Ordinal)))
            {
                Assert.True(IPAddress.IsLoopback(IPAddress.Parse(fields[0])), $"host alias in /etc/hosts: {line}");
            }
        }

        // "localhost" must not fall through to DNS, where the sandbox resolver would answer with the proxy.
        var localhost = parts[2].Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.True(localhost.Length > 0 && IPAddress.IsLoopback(IPAddress.Parse(localhost[0])), parts[2]);
    }

    [Fact]
    public async Task Extra_hosts_are_written_to_etc_hosts()
    {
        var spec = Spec(ClientImage, "getent", "hosts", "upstream.test") with
        {
            ExtraHosts = [new("upstream.test", IPAddress.Parse("10.0.0.7"))],
        };

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.StartsWith("10.0.0.7", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_address_on_a_network_is_used_and_reported()
    {
        var (network, subnet) = await CreateNetworkAsync(isolateFromHost: true);
        var address = HostInSubnet(subnet, 77);
        var spec = Spec(ClientImage, "ip", "-4", "-o", "addr", "show", "dev", "eth0") with
        {
            Networks = [new NetworkAttachment(network, address)],
        };
        var running = Spec(ClientImage, "sleep", "300") with { Networks = [new NetworkAttachment(network, HostInSubnet(subnet, 78))] };
        await StartAsync(running);

        var (exit, stdout, _) = await RunAsync(spec);
        var inspected = await Runtime.InspectContainerAsync(running.Name, Timeout());

        Assert.Equal(0, exit.ExitCode);
        Assert.Contains($"inet {address}/24", stdout, StringComparison.Ordinal);
        Assert.NotNull(inspected);
        Assert.Equal(HostInSubnet(subnet, 78), inspected.NetworkAddresses[network]);
    }

    // ---------------------------------------------------------------- running, output, exit codes

    [Fact]
    public async Task Stdout_and_stderr_stay_separate_and_in_order()
    {
        var script = "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done; printf tail-no-newline";

        var (exit, stdout, stderr) = await RunAsync(Spec(ClientImage, "sh", "-c", script));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("out1\nout2\nout3\nout4\nout5\ntail-no-newline", stdout);
        Assert.Equal("err1\nerr2\nerr3\nerr4\nerr5\n", stderr);
    }

    [Fact]
    public async Task Megabytes_of_output_on_both_streams_arrive_complete()
    {
        var (exit, stdout, stderr) = await RunAsync(Spec(ClientImage, "sh", "-c", "seq 1 200000 & seq 1 200000 >&2; wait"));

        var expected = string.Concat(Enumerable.Range(1, 200000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
        Assert.Equal(0, exit.ExitCode);
        Assert.True(expected == stdout, $"stdout differs: {stdout.Length} chars, expected {expected.Length}");
        Assert.True(expected == stderr, $"stderr differs: {stderr.Length} chars, expected {expected.Length}");
    }

    [Fact]
    public async Task RES_03_RES_05_with_the_engine_log_off_output_still_arrives_complete_through_attach_but_no_log_can_be_read()
    {
        var spec = Spec(ClientImage, "sh", "-c", "seq 1 200000 & seq 1 200000 >&2; wait; exit 3") with { LogRetention = ContainerLogRetention.None };

        var (exit, stdout, stderr) = await RunAsync(spec);

        var expected = string.Concat(Enumerable.Range(1, 200000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
        Assert.Equal(3, exit.ExitCode);
        Assert.True(expected == stdout, $"stdout differs: {stdout.Length} chars, expected {expected.Length}");
        Assert.True(expected == stderr, $"stderr differs: {stderr.Length} chars, expected {expected.Length}");
        await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Runtime.GetLogsAsync(spec.Name, Timeout()));
    }

    [Fact]
    public async Task RES_06_a_capped_engine_log_keeps_the_newest_output_and_no_more_than_the_cap()
    {
        var cap = ContainerLogRetention.MinimumCapBytes;
        var spec = Spec(ClientImage, "sh", "-c", "seq 1 200000") with { LogRetention = ContainerLogRetention.Capped(cap) };
        await StartAsync(spec);
        var exit = await Runtime.WaitContainerAsync(spec.Name, Timeout());

        var logs = await Runtime.GetLogsAsync(spec.Name, Timeout());

        Assert.Equal(0, exit.ExitCode);
        Assert.EndsWith("\n199999\n200000\n", logs.Stdout, StringComparison.Ordinal);
        Assert.InRange(logs.Stdout.Length, 1, cap);
    }

    [Fact]
    public async Task Output_is_streamed_while_the_container_still_runs()
    {
        // The container waits for a file the test writes only after it has seen "ready": a backend that
        // delivers output only at exit never gets there and the run times out.
        var shared = NewDirectory();
        MakeWorldWritable(shared);
        var spec = Spec(ClientImage, "sh", "-c", "echo ready; while [ ! -f /shared/go ]; do sleep 0.1; done; echo done") with
        {
            Mounts = [new BindMount(shared, "/shared", ReadOnly: false)],
        };
        var sink = new CollectingOutputSink(stdout =>
        {
            if (stdout.Contains("ready", StringComparison.Ordinal))
            {
                File.WriteAllText(Path.Combine(shared, "go"), "go");
            }
        });
        await Runtime.CreateContainerAsync(spec, Timeout());

        var exit = await Runtime.RunAttachedAsync(spec.Name, sink, Timeout(TimeSpan.FromSeconds(60)));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("ready\ndone\n", sink.Stdout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(42)]
    public async Task Exit_code_is_reported_by_attached_run_wait_and_inspect(int code)
    {
        var (exit, _, _) = await RunAsync(Spec(ClientImage, "sh", "-c", $"exit {code}"));
        Assert.Equal(code, exit.ExitCode);
        Assert.False(exit.OomKilled);

        var detached = Spec(ClientImage, "sh", "-c", $"echo to-log; echo to-err >&2; exit {code}");
        await Runtime.CreateContainerAsync(detached, Timeout());
        await Runtime.StartContainerAsync(detached.Name, Timeout());
        var waited = await Runtime.WaitContainerAsync(detached.Name, Timeout());
        Assert.Equal(code, waited.ExitCode);
        var info = await Runtime.InspectContainerAsync(detached.Name, Timeout());
        Assert.NotNull(info);
        Assert.False(info.Running);
        Assert.Equal(code, info.ExitCode);
        var logs = await Runtime.GetLogsAsync(detached.Name, Timeout());
        Assert.Equal("to-log\n", logs.Stdout);
        Assert.Equal("to-err\n", logs.Stderr);
    }

    [Fact]
    public async Task Kill_stops_a_running_container_with_137_and_is_quiet_on_stopped_or_missing_ones()
    {
        var spec = Spec(ClientImage, "sleep", "300");
        await Runtime.CreateContainerAsync(spec, Timeout());
        await Runtime.StartContainerAsync(spec.Name, Timeout());
        var running = await Runtime.InspectContainerAsync(spec.Name, Timeout());
        Assert.True(running?.Running);
        Assert.Null(running?.ExitCode);

        await Runtime.KillContainerAsync(spec.Name, "KILL", Timeout());
        var exit = await Runtime.WaitContainerAsync(spec.Name, Timeout());

        Assert.Equal(137, exit.ExitCode);
        await Runtime.KillContainerAsync(spec.Name, "KILL", Timeout());
        await Runtime.KillContainerAsync(Prefix + "-missing", "KILL", Timeout());
    }

    [Fact]
    public async Task Cancelling_an_attached_run_returns_promptly()
    {
        var spec = Spec(ClientImage, "sleep", "300");
        await Runtime.CreateContainerAsync(spec, Timeout());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runtime.RunAttachedAsync(spec.Name, new CollectingOutputSink(), cts.Token));

        await Runtime.RemoveContainerAsync(spec.Name, Timeout());
        Assert.Null(await Runtime.InspectContainerAsync(spec.Name, Timeout()));
    }

    [Fact]
    public async Task Removed_container_is_gone_from_inspect_and_listing_and_removing_again_succeeds()
    {
        var running = Spec(ClientImage, "sleep", "300");
        var exited = Spec(ClientImage, "true");
        await Runtime.CreateContainerAsync(running, Timeout());
        await Runtime.StartContainerAsync(running.Name, Timeout());
        await RunAsync(exited);

        var listed = await Runtime.ListContainersAsync(Labels, Timeout());
        Assert.Equal(new[] { exited.Name, running.Name }.Order(StringComparer.Ordinal), listed.Select(c => c.Name).Order(StringComparer.Ordinal));

        await Runtime.RemoveContainerAsync(running.Name, Timeout());
        await Runtime.RemoveContainerAsync(exited.Name, Timeout());

        Assert.Null(await Runtime.InspectContainerAsync(running.Name, Timeout()));
        Assert.Null(await Runtime.InspectContainerAsync(exited.Name, Timeout()));
        Assert.Empty(await Runtime.ListContainersAsync(Labels, Timeout()));
        await Runtime.RemoveContainerAsync(running.Name, Timeout());
    }

    [Fact]
    public async Task Two_suite_instances_with_different_prefixes_do_not_see_each_other()
    {
        var otherPrefix = Prefix + "-peer";
        var otherLabels = new Dictionary<string, string> { [SuiteLabel] = otherPrefix };
        var mine = Spec(ClientImage, "true");
        var theirs = Spec(ClientImage, "true") with { Name = otherPrefix + "-c", Labels = otherLabels };
        await Runtime.CreateContainerAsync(mine, Timeout());
        _containers.Add(theirs.Name);
        await Runtime.CreateContainerAsync(theirs, Timeout());
        var (myNetwork, _) = await CreateNetworkAsync(isolateFromHost: true);
        var theirNetwork = otherPrefix + "-n";
        _networks.Add(theirNetwork);
        await CreateNetworkWithRetryAsync(theirNetwork, isolateFromHost: true, otherLabels);

        var myContainers = await Runtime.ListContainersAsync(Labels, Timeout());
        var theirContainers = await Runtime.ListContainersAsync(otherLabels, Timeout());
        var myNetworks = await Runtime.ListNetworksAsync(Labels, Timeout());

        Assert.Equal([mine.Name], myContainers.Select(c => c.Name));
        Assert.Equal([theirs.Name], theirContainers.Select(c => c.Name));
        Assert.Equal([myNetwork], myNetworks.Select(n => n.Name));
    }

    // ---------------------------------------------------------------- network isolation

    [Fact]
    public async Task NET_05_NET_07_isolated_network_reaches_its_peer_but_not_the_host_nor_another_network()
    {
        var (network, subnet) = await CreateNetworkAsync(isolateFromHost: true);
        var (otherNetwork, otherSubnet) = await CreateNetworkAsync(isolateFromHost: true);
        var peerAddress = HostInSubnet(subnet, 10);
        var strangerAddress = HostInSubnet(otherSubnet, 10);
        const string Listener = "while true; do echo hello | nc -l -p 7000 -q 1; done";
        await StartAsync(Spec(ClientImage, "sh", "-c", Listener) with { Networks = [new NetworkAttachment(network, peerAddress)] });
        await StartAsync(Spec(ClientImage, "sh", "-c", Listener) with { Networks = [new NetworkAttachment(otherNetwork, strangerAddress)] });

        await using var hostV4 = new TcpConnectionRecorder(IPAddress.Any);
        await using var hostV6 = new TcpConnectionRecorder(IPAddress.IPv6Any);
        // The host's own addresses get TCP and ICMP probes. The subnet's .1 and .254 (where an engine would put a
        // gateway) get TCP only: with no gateway, a container (even the prober itself) may hold them.
        var hostAddresses = HostAddresses().Distinct().ToList();
        var gatewayGuesses = new[] { HostInSubnet(subnet, 1), HostInSubnet(subnet, 254) };

        // Each probe retries for a few seconds: a fresh bridge's IPv6 link-local address only answers once
        // duplicate address detection is over, and a single early probe would miss a real breach.
        var probes = string.Concat(
            hostAddresses.Select(a => a.AddressFamily == AddressFamily.InterNetworkV6
                ? $"probe -6 {a}%eth0 {hostV6.Port} icmp & "
                : $"probe -4 {a} {hostV4.Port} icmp & ")
            .Concat(gatewayGuesses.Select(a => $"probe -4 {a} {hostV4.Port} tcp & ")));

        // TCP to the recorders and ICMP echo (NET-02) to every host address; ICMP to the peer must work, so a
        // container that cannot ping at all does not pass for an isolated one.
        var script =
            "probe() { i=0; while [ $i -lt 6 ]; do nc $1 -z -w 1 $2 $3 2>/dev/null && { echo REACHED $2; return; }; " +
            "[ $4 = icmp ] && ping $1 -c 1 -W 1 $2 >/dev/null 2>&1 && { echo REACHED-ICMP $2; return; }; sleep 0.5; i=$((i+1)); done; }; " +
            $"i=0; while [ $i -lt 10 ]; do peer=$(nc -w 2 {peerAddress} 7000 </dev/null); [ -n \"$peer\" ] && break; sleep 0.5; i=$((i+1)); done; echo \"peer=$peer\"; " +
            $"ping -c 1 -W 2 {peerAddress} >/dev/null 2>&1 && echo peer-icmp=ok; " +
            $"probe -4 {strangerAddress} 7000 icmp & " +
            probes + " wait; echo finished";

        var (exit, stdout, stderr) = await RunAsync(Spec(ClientImage, "sh", "-c", script) with { Networks = [new NetworkAttachment(network)] });

        Assert.True(exit.ExitCode == 0, stderr);
        Assert.Contains("peer=hello", stdout, StringComparison.Ordinal);
        Assert.Contains("peer-icmp=ok", stdout, StringComparison.Ordinal);
        Assert.Contains("finished", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("REACHED", stdout, StringComparison.Ordinal);
        Assert.Equal(0, hostV4.AcceptedConnections);
        Assert.Equal(0, hostV6.AcceptedConnections);
    }

    // ---------------------------------------------------------------- resource limits

    [Fact]
    public async Task RES_01_RES_02_memory_swap_cpu_and_pids_limits_are_set_on_the_container_cgroup()
    {
        // cgroup v2 files first, then the v1 equivalents (memsw = memory + swap, so equal means no swap).
        const string Script =
            "r() { for f in \"$@\"; do [ -r $f ] && { cat $f; return; }; done; echo missing; }; " +
            "echo mem $(r /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes); " +
            "echo swap $(r /sys/fs/cgroup/memory.swap.max /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes); " +
            "echo pids $(r /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max); " +
            "echo cpu $(r /sys/fs/cgroup/cpu.max) $(r /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(r /sys/fs/cgroup/cpu/cpu.cfs_period_us)";
        var spec = Spec(ClientImage, "sh", "-c", Script) with { MemoryBytes = 64L * 1024 * 1024, Cpus = 1.5, PidsLimit = 50 };

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        var values = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split(' ', 2)[0], l => l.Split(' ', 2)[1]);
        Assert.Equal("67108864", values["mem"]);
        Assert.Contains(values["swap"], new[] { "0", "67108864" });
        Assert.Equal("50", values["pids"]);
        var cpu = values["cpu"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(v => v != "missing").ToArray();
        Assert.Equal(["150000", "100000"], cpu);
    }

    [Fact]
    public async Task RES_02_exceeding_the_memory_limit_is_an_oom_kill_with_exit_137()
    {
        var spec = Spec(ClientImage, "python3", "-c", "b = bytearray(512 * 1024 * 1024); print(len(b))") with
        {
            MemoryBytes = 64L * 1024 * 1024,
        };

        var (exit, stdout, _) = await RunAsync(spec);

        Assert.Equal(137, exit.ExitCode);
        Assert.True(exit.OomKilled);
        Assert.Equal(string.Empty, stdout);
        var info = await Runtime.InspectContainerAsync(spec.Name, Timeout());
        Assert.True(info?.OomKilled);
    }

    [Fact]
    public async Task RES_02_RES_03_an_oom_kill_is_reported_for_a_container_whose_engine_log_is_off()
    {
        var spec = Spec(ClientImage, "python3", "-c", "b = bytearray(512 * 1024 * 1024); print(len(b))") with
        {
            MemoryBytes = 64L * 1024 * 1024,
            LogRetention = ContainerLogRetention.None,
        };

        var (exit, _, _) = await RunAsync(spec);

        Assert.Equal(137, exit.ExitCode);
        Assert.True(exit.OomKilled);
    }

    [Fact]
    public async Task RES_01_pids_limit_caps_process_creation()
    {
        const string Script = """
            import os, time
            n = 0
            for _ in range(200):
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:
                    time.sleep(60)
                    os._exit(0)
                n += 1
            print(n)
            """;
        var spec = Spec(ClientImage, "python3", "-c", Script) with { PidsLimit = 16 };

        var (exit, stdout, stderr) = await RunAsync(spec);

        Assert.True(exit.ExitCode == 0, stderr);
        var forked = int.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(forked, 1, 15);
    }

    [Fact]
    public async Task RES_01_a_fork_bombing_container_under_a_pids_limit_can_still_be_killed_and_removed()
    {
        var spec = Spec(ClientImage, "sh", "-c", "b() { b | b & }; b; sleep 300") with { PidsLimit = 32 };
        await StartAsync(spec);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var info = await Runtime.InspectContainerAsync(spec.Name, Timeout());
        Assert.NotNull(info);
        await Runtime.KillContainerAsync(spec.Name, "KILL", Timeout());
        await Runtime.WaitContainerAsync(spec.Name, Timeout(TimeSpan.FromSeconds(30)));
        await Runtime.RemoveContainerAsync(spec.Name, Timeout());

        Assert.Null(await Runtime.InspectContainerAsync(spec.Name, Timeout()));
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>A token that cancels after <paramref name="after"/> (default 90 s), so no case hangs forever.</summary>
    protected static CancellationToken Timeout(TimeSpan? after = null) =>
        new CancellationTokenSource(after ?? DefaultTimeout).Token;

    /// <summary>A unique name under this instance's prefix.</summary>
    protected string NewName(string kind) => $"{Prefix}-{kind}-{Interlocked.Increment(ref _counter)}";

    /// <summary>A container spec with a unique name, the suite labels and every capability dropped.</summary>
    protected ContainerSpec Spec(string image, params string[] command)
    {
        var name = NewName("c");
        _containers.Add(name);
        return new ContainerSpec
        {
            Name = name,
            Image = image,
            Command = command,
            Labels = new Dictionary<string, string>(Labels) { ["io.airut.test.extra"] = "yes" },
            DropAllCapabilities = true,
            NoNewPrivileges = true,
        };
    }

    /// <summary>Creates and runs a container attached; returns its exit and output.</summary>
    protected async Task<(ContainerExit Exit, string Stdout, string Stderr)> RunAsync(ContainerSpec spec)
    {
        await Runtime.CreateContainerAsync(spec, Timeout());
        var sink = new CollectingOutputSink();
        var exit = await Runtime.RunAttachedAsync(spec.Name, sink, Timeout());
        return (exit, sink.Stdout, sink.Stderr);
    }

    /// <summary>Creates and starts a container in the background.</summary>
    protected async Task StartAsync(ContainerSpec spec)
    {
        await Runtime.CreateContainerAsync(spec, Timeout());
        await Runtime.StartContainerAsync(spec.Name, Timeout());
    }

    /// <summary>Creates an internal network on a random free 10.x.y.0/24; returns its name and subnet.</summary>
    protected async Task<(string Name, string Subnet)> CreateNetworkAsync(bool isolateFromHost)
    {
        var name = NewName("n");
        _networks.Add(name);
        var subnet = await CreateNetworkWithRetryAsync(name, isolateFromHost, Labels);
        return (name, subnet);
    }

    private async Task<string> CreateNetworkWithRetryAsync(string name, bool isolateFromHost, IReadOnlyDictionary<string, string> labels)
    {
        for (var attempt = 0; ; attempt++)
        {
            var subnet = $"10.{RandomNumberGenerator.GetInt32(210, 240)}.{RandomNumberGenerator.GetInt32(1, 255)}.0/24";
            try
            {
                await Runtime.CreateNetworkAsync(new NetworkSpec(name, subnet, Internal: true, isolateFromHost, labels), Timeout());
                return subnet;
            }
            catch (SandboxInfrastructureException ex) when (attempt < 8 && ex.Message.Contains("subnet", StringComparison.OrdinalIgnoreCase))
            {
                // Someone else holds this subnet; try another.
            }
        }
    }

    /// <summary>Builds a tiny image FROM the base image holding /marker.txt; returns its tag.</summary>
    protected async Task<string> BuildTestImageAsync(string marker)
    {
        var context = NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(context, "marker.txt"), marker + "\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {BaseImage}\nCOPY marker.txt /marker.txt\n");
        var tag = $"localhost/{Prefix}-img-{Interlocked.Increment(ref _counter)}:latest";
        _images.Add(tag);
        var progress = new CollectingProgress();
        await Runtime.BuildImageAsync(
            new ImageBuildRequest(context, Path.Combine(context, "Dockerfile"), tag, NoCache: true, Labels),
            progress,
            Timeout(TimeSpan.FromMinutes(3)));
        Assert.NotEmpty(progress.Lines);
        return tag;
    }

    /// <summary>A fresh temp directory removed at dispose.</summary>
    protected string NewDirectory()
    {
        var path = Directory.CreateTempSubdirectory(Prefix + "-").FullName;
        _directories.Add(path);
        return path;
    }

    private static void MakeWorldWritable(string directory) => File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);

    private static IPAddress HostInSubnet(string subnet, byte host)
    {
        var bytes = IPAddress.Parse(subnet.Split('/')[0]).GetAddressBytes();
        bytes[3] = host;
        return new IPAddress(bytes);
    }

    /// <summary>Every address of this host a container might try: IPv4 unicast and IPv6 link-local.</summary>
    private static IEnumerable<IPAddress> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => !IPAddress.IsLoopback(a)
                && (a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && a.IsIPv6LinkLocal)))
            .Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(a.GetAddressBytes()) : a);

    private static Dictionary<string, string> ParseStatus(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());

    private static async Task IgnoreFailureAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (SandboxInfrastructureException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }
}
