using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.EndToEnd.Tests.Security;

/// <summary>
/// The security suite's world for one engine, built once per test class (attacks.md §0): an <c>atk-outside-*</c>
/// network with an outside recorder (TCP, UDP, ICMP capture and a fake DNS resolver) that must never be reached, a TLS
/// upstream recorder for the allowlisted <c>.test</c> hosts, a host listener on the outside network's gateway, and
/// four sandbox runs through the whole runner: the attack run (A), a concurrent peer run (B, for NET-07), the
/// resource-abuse run and the disk-exhaustion run (RES-03, its workspace on a tmpfs of the test's), plus one disk-limited
/// run the runner must refuse. The per-case tests assert what these runs printed and what every recorder saw.
/// </summary>
public abstract class SecurityWorld : IAsyncLifetime
{
    private const string OutsideNetworkPrefix = "atk-outside-";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-atk-").FullName;
    private readonly CollectingLoggerProvider _logs = new();
    private readonly List<(string Source, string Text)> _hostTexts = [];
    private SandboxUnderTest? _sandbox;
    private RecorderContainer? _outside;
    private RecorderContainer? _upstream;
    private HostListener? _hostListener;
    private bool _outsideNetworkCreated;
    private string? _diskWorkspaceMount;

    /// <summary>Creates the world for <paramref name="engine"/> (podman or docker).</summary>
    protected SecurityWorld(string engine) => Engine = engine;

    public string Engine { get; }

    /// <summary>The real value of sandbox A's masked secret <c>TOK</c>, scoped to <c>scoped.test</c> and <c>*.scoped.test</c>.</summary>
    internal string RealA { get; } = RealValue();

    /// <summary>The real value of peer sandbox B's <c>TOK</c>, scoped to <c>scopedb.test</c> in B only.</summary>
    internal string RealB { get; } = RealValue();

    /// <summary>Sandbox A's real AWS signing credential (scope <c>*.scoped.test</c>): key id, secret key, session token.</summary>
    internal (string KeyId, string Secret, string Session) RealAws { get; } =
        ("AKIA" + RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), RandomText(Alphanumeric + "/+", 40), RandomText(Alphanumeric, 64));

    internal ProbeResults Attack { get; private set; } = new([]);

    internal ProbeResults Resources { get; private set; } = new([]);

    internal ProbeResults Disk { get; private set; } = new([]);

    internal RecordingOutput DiskOutput { get; } = new();

    internal SandboxRunResult? DiskResult { get; private set; }

    /// <summary>The disk-limited run in an ordinary directory: the runner's refusal, or null when it ran.</summary>
    internal Abstractions.Errors.SandboxConfigurationException? DiskRefusal { get; private set; }

    /// <summary>How much free space the host's filesystems (the test's scratch and the engine's storage) lost across the disk run.</summary>
    internal IReadOnlyDictionary<string, long> DiskRunFreeSpaceLoss { get; private set; } = new Dictionary<string, long>();

    internal RecordingOutput AttackOutput { get; } = new();

    internal RecordingOutput PeerOutput { get; } = new();

    internal RecordingOutput ResourcesOutput { get; } = new();

    internal SandboxRunResult? AttackResult { get; private set; }

    internal SandboxRunResult? PeerResult { get; private set; }

    internal SandboxRunResult? ResourcesResult { get; private set; }

    internal IReadOnlyList<string> AttackNetworkLog { get; private set; } = [];

    internal IReadOnlyList<string> ResourcesNetworkLog { get; private set; } = [];

    internal IReadOnlyList<RecorderEvent> OutsideEvents { get; private set; } = [];

    internal IReadOnlyList<RecorderEvent> UpstreamEvents { get; private set; } = [];

    internal IReadOnlyList<string> LoggerLines => _logs.Lines;

    internal int HostListenerConnections { get; private set; }

    /// <summary>The outside recorder's own address: the only legitimate peer it may log (its positive control).</summary>
    internal string OutsideControlPeer { get; private set; } = string.Empty;

    /// <summary>What the host saw while the runs were live: proxy sysctls and process status, per proxy.</summary>
    internal Dictionary<string, string> HostChecks { get; } = new(StringComparer.Ordinal);

    /// <summary>The planted <c>/workspace/rootsh</c> as the host sees it: owner uid and octal mode (CT-05).</summary>
    internal string PlantedSetuidOnHost { get; private set; } = "missing";

    internal bool PlantedDeviceOnHost { get; private set; }

    /// <summary>Bytes of <c>/workspace/hb</c> right after the resource run and three seconds later (RES-04).</summary>
    internal (long After, long Later) Heartbeat { get; private set; }

    /// <summary>Why the runs left something behind (containers, networks, run directories), or null when nothing was left.</summary>
    internal string? LeftBehind { get; private set; }

    internal LeakScan? Leaks { get; private set; }

    /// <summary>How many credential header lines carrying one of A's real values the upstream saw for hosts in A's
    /// scopes (the one place they belong).</summary>
    internal int InjectedRealValues { get; private set; }

    internal string HostName { get; } = Environment.MachineName;

    /// <summary>The attack run's proxy container name, as the host learned it from the engine while the run was live (ADM-01).</summary>
    internal string? AttackProxyName { get; private set; }

    public async Task InitializeAsync()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var proxyDirectory = new PublishedProxyFixture().Directory;
        var scripts = Path.Combine(AppContext.BaseDirectory, "Security", "Scripts");
        // LOG-03: every run's proxy logs at Trace (its debug mode); its output reaches the collecting logger and the scan.
        _sandbox = await SandboxUnderTest.CreateAsync(
            Engine, _scratch, _suffix, proxyDirectory, logs: _logs, options: o => o.ProxyLogLevel = Microsoft.Extensions.Logging.LogLevel.Trace);
        var runtime = _sandbox.Runtime;
        var egress = _sandbox.EgressNetwork;

        // The outside world: internal (no route off the machine), with a gateway address for the host listener.
        var outsideNetwork = OutsideNetworkPrefix + _suffix;
        // Through the engine's CLI: the runtimes' own internal networks never give the host an address on purpose.
        var created = await ExternalCommand.RunAsync(Engine, ["network", "create", "--internal", outsideNetwork], TimeSpan.FromMinutes(2));
        Assert.True(created.ExitCode == 0, $"{Engine} network create {outsideNetwork}: {created.Stderr}");
        _outsideNetworkCreated = true;
        var gateway = (await runtime.InspectNetworkAsync(outsideNetwork, CancellationToken.None))?.Gateway
            ?? throw new InvalidOperationException($"{outsideNetwork} has no gateway address for the NET-05 host listener");

        var certificates = Path.Combine(_scratch, "certs");
        Directory.CreateDirectory(certificates);
        var upstreamCa = UpstreamServer.WriteCertificates(
            certificates, ["allowed.test", "open.test", "scoped.test", "api.scoped.test", "s3.scoped.test", "scopedb.test", "evil.test", "doh.test"]);
        _outside = await RecorderContainer.StartAsync(runtime, $"{OutsideNetworkPrefix}{_suffix}-rec", "outside", [outsideNetwork, egress], scripts, null);
        _upstream = await RecorderContainer.StartAsync(runtime, $"atk-upstream-{_suffix}", "upstream", [egress], scripts, certificates);
        // Podman brings the bridge (and so the gateway address) up with its first container.
        _hostListener = new HostListener(IPAddress.Parse(gateway.Split('/')[0]));
        var outsideAddress = _outside.AddressOn(outsideNetwork);
        OutsideControlPeer = outsideAddress.ToString();
        var outsideEgressAddress = _outside.AddressOn(egress);
        var upstreamAddress = _upstream.AddressOn(egress);

        var hosts =
            $"  allowed.test: {upstreamAddress}\n  open.test: {upstreamAddress}\n  scoped.test: {upstreamAddress}\n" +
            $"  \"*.scoped.test\": {upstreamAddress}\n  scopedb.test: {upstreamAddress}\n" +
            $"  evil.test: {outsideEgressAddress}\n  doh.test: {outsideEgressAddress}\n";
        var allowlist = "domains:\n  - open.test\n  - scoped.test\n  - \"*.scoped.test\"\n  - scopedb.test\nurl_prefixes:\n  - host: allowed.test\n    path: /pub/*\n";
        var workspaceA = _sandbox.Workspace;
        var workspaceB = Path.Combine(_scratch, "repo-b");
        WriteWorkspace(
            workspaceA,
            scripts,
            upstreamCa,
            allowlist,
            Config(egress, hosts, RealA, "[\"scoped.test\", \"*.scoped.test\"]") +
            $"signing_credentials:\n  AWS:\n    type: aws-sigv4\n    access_key_id: \"{RealAws.KeyId}\"\n    secret_access_key: \"{RealAws.Secret}\"\n" +
            $"    session_token: \"{RealAws.Session}\"\n    scopes: [\"*.scoped.test\"]\n");
        WriteWorkspace(workspaceB, scripts, upstreamCa, allowlist, Config(egress, hosts, RealB, "[\"scopedb.test\"]"));

        // B starts first and waits; A attacks it. B's network log sits inside its own workspace on purpose (LOG-01).
        var attackLog = Path.Combine(_scratch, "logs", "attack-network.log");
        var peerReady = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        PeerOutput.OnStdout = line =>
        {
            if (line.StartsWith("PEER client=", StringComparison.Ordinal))
            {
                peerReady.TrySetResult(line);
            }
        };
        var peerRun = _sandbox.Runner.RunAsync(
            new SandboxRunRequest
            {
                Command = ["bash", "/workspace/.atk/peer.sh"],
                WorkspaceDirectory = workspaceB,
                NetworkLogPath = Path.Combine(workspaceB, "peer-network.log"),
                Timeout = RunTimeout,
            },
            PeerOutput,
            CancellationToken.None);
        try
        {
            if (await Task.WhenAny(peerReady.Task, peerRun).WaitAsync(TimeSpan.FromMinutes(10)) == peerRun)
            {
                var ended = await peerRun;
                throw new InvalidOperationException($"The peer run ended (exit {ended.ExitCode}) before it printed its addresses: {string.Join('\n', PeerOutput.Stderr)}");
            }

            var peer = await peerReady.Task;
            var fields = peer.Split(' ').Skip(1).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
            var peerProxyEgress = await ProxyEgressAddressAsync(runtime, IPAddress.Parse(fields["proxy"]), egress);

            await File.WriteAllTextAsync(
                Path.Combine(workspaceA, ".atk", "env.sh"),
                $"OUT_O={outsideAddress}\nOUT_E={outsideEgressAddress}\nUP={upstreamAddress}\n" +
                $"HOST_GW={gateway.Split('/')[0]}\nHOST_PORT={_hostListener.Port}\n" +
                $"B_CLIENT={fields["client"]}\nB_PROXY={fields["proxy"]}\nB_PROXY_EGRESS={peerProxyEgress}\nB_SURR={fields["surrogate"]}\n" +
                // A slice from the middle of the real value (past the prefix it shares with the surrogate), never the
                // whole value: SEC-01 greps the client for it.
                $"REAL_SLICE={RealA[10..26]}\n");

            Task? hostCheck = null;
            AttackOutput.OnStdout = line =>
            {
                if (line == "HOSTCHECK ready")
                {
                    hostCheck = Task.Run(() => CheckHostAsync(runtime, Path.Combine(workspaceA, ".atk", "hostcheck-done"), IPAddress.Parse(fields["proxy"])));
                }
            };
            AttackResult = await _sandbox.Runner.RunAsync(
                new SandboxRunRequest { Command = ["bash", "/workspace/.atk/attack.sh"], WorkspaceDirectory = workspaceA, NetworkLogPath = attackLog, Timeout = RunTimeout },
                AttackOutput,
                CancellationToken.None);
            if (hostCheck is not null)
            {
                await hostCheck;
            }

            Attack = new ProbeResults(AttackOutput.Stdout);
            AttackNetworkLog = await File.ReadAllLinesAsync(attackLog);
        }
        finally
        {
            await File.WriteAllTextAsync(Path.Combine(workspaceB, ".atk", "release"), "done");
            PeerResult = await peerRun;
        }

        var resourcesLog = Path.Combine(_scratch, "logs", "resources-network.log");
        ResourcesResult = await _sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["bash", "/workspace/.atk/resources.sh"], WorkspaceDirectory = workspaceA, NetworkLogPath = resourcesLog, Timeout = RunTimeout },
            ResourcesOutput,
            CancellationToken.None);
        Resources = new ProbeResults(ResourcesOutput.Stdout);
        ResourcesNetworkLog = await File.ReadAllLinesAsync(resourcesLog);

        var diskLog = Path.Combine(_scratch, "logs", "disk-network.log");
        await RunDiskAbuseAsync(diskLog, scripts, upstreamCa, allowlist, Config(egress, hosts, RealA, "[\"scoped.test\"]", disk: "64m"));

        var heartbeat = Path.Combine(workspaceA, "hb");
        var after = File.Exists(heartbeat) ? new FileInfo(heartbeat).Length : -1;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Heartbeat = (after, File.Exists(heartbeat) ? new FileInfo(heartbeat).Length : -1);

        var planted = Path.Combine(workspaceA, "rootsh");
        if (File.Exists(planted))
        {
            var stat = await ExternalCommand.RunAsync("stat", ["-c", "%u %a", planted], TimeSpan.FromSeconds(30));
            PlantedSetuidOnHost = stat.Stdout.Trim();
        }

        PlantedDeviceOnHost = File.Exists(Path.Combine(workspaceA, "mem"));
        try
        {
            await _sandbox.AssertNothingLeftAsync();
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            LeftBehind = ex.Message;
        }

        HostListenerConnections = _hostListener.Accepted;
        await SendOutsideControlAsync($"{OutsideNetworkPrefix}{_suffix}-rec", outsideAddress);
        OutsideEvents = await _outside.ReadEventsAsync();
        UpstreamEvents = await _upstream.ReadEventsAsync();
        KeepForInspection(attackLog, resourcesLog, diskLog);
        Leaks = ScanForRealValues(Path.Combine(_scratch, "runs"), attackLog, resourcesLog, diskLog, Path.Combine(workspaceB, "peer-network.log"));
        Leaks.WriteSummary(Engine, "all-sources", stopwatch.Elapsed);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_outside is not null)
            {
                await _outside.DisposeAsync();
            }

            if (_upstream is not null)
            {
                await _upstream.DisposeAsync();
            }

            _hostListener?.Dispose();
            if (_sandbox is not null)
            {
                if (_outsideNetworkCreated)
                {
                    await _sandbox.Runtime.RemoveNetworkAsync(OutsideNetworkPrefix + _suffix, CancellationToken.None);
                }

                await _sandbox.DisposeAsync();
            }
        }
        finally
        {
            _logs.Dispose();
            if (_diskWorkspaceMount is not null)
            {
                await ExternalCommand.RunAsync("umount", [_diskWorkspaceMount], TimeSpan.FromMinutes(1));
            }

            Directory.Delete(_scratch, recursive: true);
        }
    }

    /// <summary>With <c>AIRUT_SECURITY_KEEP</c> set to a directory, copies the runs' output and network logs there
    /// (they hold surrogates only; the leak scan proves it) for a person to read after a failure.</summary>
    private void KeepForInspection(params string[] networkLogs)
    {
        if (Environment.GetEnvironmentVariable("AIRUT_SECURITY_KEEP") is not { Length: > 0 } keep)
        {
            return;
        }

        var directory = Directory.CreateDirectory(Path.Combine(keep, Engine)).FullName;
        foreach (var (name, output) in new[] { ("attack", AttackOutput), ("peer", PeerOutput), ("resources", ResourcesOutput), ("disk", DiskOutput) })
        {
            File.WriteAllLines(Path.Combine(directory, name + ".stdout"), output.Stdout);
            File.WriteAllLines(Path.Combine(directory, name + ".stderr"), output.Stderr.Where(l => l != "flood"));
        }

        foreach (var log in networkLogs)
        {
            File.Copy(log, Path.Combine(directory, Path.GetFileName(log)), overwrite: true);
        }
    }

    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static string RealValue() => "ghp_" + RandomText(Alphanumeric, 36);

    private static string RandomText(string alphabet, int length) => string.Concat(RandomNumberGenerator.GetItems<char>(alphabet, length));

    private static string Config(string egress, string hosts, string real, string scopes, string? disk = null) =>
        $"egress_network: {egress}\nupstream_hosts_only: true\nupstream_ca_bundle: .airut/upstream-ca.pem\nupstream_hosts:\n{hosts}" +
        "resource_limits:\n  memory: 1g\n  cpus: 1\n  pids_limit: 300\n" + (disk is null ? string.Empty : $"  disk: {disk}\n") +
        $"masked_secrets:\n  TOK:\n    value: \"{real}\"\n    scopes: {scopes}\n    headers: [\"Authorization\"]\n";

    private static void WriteWorkspace(string workspace, string scripts, string upstreamCa, string allowlist, string config)
    {
        var airut = Path.Combine(workspace, ".airut");
        Directory.CreateDirectory(Path.Combine(airut, "container"));
        File.WriteAllText(Path.Combine(airut, "container", "Dockerfile"), $"FROM {SandboxUnderTest.ClientImage}\nWORKDIR /workspace\n");
        File.WriteAllText(Path.Combine(airut, "upstream-ca.pem"), upstreamCa);
        File.WriteAllText(Path.Combine(airut, "network-allowlist.yaml"), allowlist);
        File.WriteAllText(Path.Combine(airut, "sandbox.yaml"), config);
        var probes = Directory.CreateDirectory(Path.Combine(workspace, ".atk")).FullName;
        foreach (var script in Directory.EnumerateFiles(scripts))
        {
            File.Copy(script, Path.Combine(probes, Path.GetFileName(script)), overwrite: true);
        }
    }

    /// <summary>
    /// RES-03: a run with <c>disk: 64m</c> whose workspace is a 64 MiB tmpfs (4096 inodes) mounted by the test, and the
    /// same configuration in an ordinary directory, which the runner must refuse before touching the engine. Free space
    /// of the host filesystems is read around the run: the script tries to write 4 GiB into the image's filesystem.
    /// </summary>
    private async Task RunDiskAbuseAsync(string networkLog, string scripts, string upstreamCa, string allowlist, string config)
    {
        var sandbox = _sandbox!;
        var refused = Path.Combine(_scratch, "repo-disk-refused");
        WriteWorkspace(refused, scripts, upstreamCa, allowlist, config);
        try
        {
            await sandbox.Runner.RunAsync(
                new SandboxRunRequest { Command = ["true"], WorkspaceDirectory = refused, Timeout = RunTimeout }, new RecordingOutput(), CancellationToken.None);
        }
        catch (Abstractions.Errors.SandboxConfigurationException ex)
        {
            DiskRefusal = ex;
        }

        var workspace = Directory.CreateDirectory(Path.Combine(_scratch, "repo-disk")).FullName;
        var mounted = await ExternalCommand.RunAsync("mount", ["-t", "tmpfs", "-o", "size=64m,nr_inodes=4096,mode=0755", "airut-atk-disk", workspace], TimeSpan.FromMinutes(1));
        Assert.True(mounted.ExitCode == 0, $"mount tmpfs on {workspace} (the suite runs as root): {mounted.Stderr}");
        _diskWorkspaceMount = workspace;
        WriteWorkspace(workspace, scripts, upstreamCa, allowlist, config);

        var info = await ExternalCommand.RunAsync(
            Engine, ["info", "--format", Engine == "docker" ? "{{.DockerRootDir}}" : "{{.Store.GraphRoot}}"], TimeSpan.FromMinutes(1));
        var watched = new[] { _scratch, info.Stdout.Trim() };
        var before = watched.ToDictionary(p => p, p => new DriveInfo(p).AvailableFreeSpace);
        DiskResult = await sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["bash", "/workspace/.atk/disk.sh"], WorkspaceDirectory = workspace, NetworkLogPath = networkLog, Timeout = RunTimeout },
            DiskOutput,
            CancellationToken.None);
        DiskRunFreeSpaceLoss = watched.ToDictionary(p => p, p => before[p] - new DriveInfo(p).AvailableFreeSpace);
        Disk = new ProbeResults(DiskOutput.Stdout);
    }

    private static async Task<IPAddress> ProxyEgressAddressAsync(IContainerRuntime runtime, IPAddress internalAddress, string egress)
    {
        foreach (var container in await runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None))
        {
            if (container.NetworkAddresses.Values.Contains(internalAddress) && container.NetworkAddresses.TryGetValue(egress, out var address))
            {
                return address;
            }
        }

        throw new InvalidOperationException($"no proxy container with internal address {internalAddress} on {egress}");
    }

    /// <summary>The outside recorder's positive control: from inside the recorder's own container (the only source of
    /// its own address) a TCP connection, a UDP datagram and an ICMP echo go to its outside address, so a test can tell
    /// "nothing arrived" from "the recorder records nothing". (Podman's internal networks are closed to the host, so
    /// the host cannot be the control.)</summary>
    private async Task SendOutsideControlAsync(string recorder, IPAddress outside)
    {
        var script =
            "import socket;" +
            $"t=socket.create_connection(('{outside}',8080),10);t.sendall(b'CONTROL\\r\\n');t.close();" +
            $"u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);u.sendto(b'CONTROL',('{outside}',9999))";
        var sent = await ExternalCommand.RunAsync(Engine, ["exec", recorder, "python3", "-c", script], TimeSpan.FromMinutes(2));
        Assert.True(sent.ExitCode == 0, $"outside control: {sent.Stderr}");
        await ExternalCommand.RunAsync(Engine, ["exec", recorder, "ping", "-c1", "-W5", outside.ToString()], TimeSpan.FromMinutes(2));
        for (var i = 0; i < 100 && (await _outside!.ReadEventsAsync()).Count(e => e.Peer == OutsideControlPeer) < 4; i++)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Runs while both sandboxes are live: inspects every run container, reads each proxy's forwarding sysctls
    /// and process status from inside it, and reads the host's process table (SEC-02, NET-03). Then releases the probe.</summary>
    private async Task CheckHostAsync(IContainerRuntime runtime, string doneFile, IPAddress peerProxy)
    {
        try
        {
            var mine = (await runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None))
                .Where(c => c.Name.StartsWith($"airut-e2e-{_suffix}-", StringComparison.Ordinal)).ToList();
            await HandOverAttackProxyNameAsync(mine, peerProxy, Path.Combine(Path.GetDirectoryName(doneFile)!, "proxy-name"));
            var proxies = 0;
            foreach (var container in mine)
            {
                var inspect = await ExternalCommand.RunAsync(Engine, ["inspect", container.Name], TimeSpan.FromMinutes(2));
                lock (_hostTexts)
                {
                    _hostTexts.Add(("inspect", inspect.Stdout + inspect.Stderr));
                }

                if (container.Name.Contains("-proxy-", StringComparison.Ordinal))
                {
                    proxies++;
                    var output = await ExternalCommand.RunAsync(Engine, ["logs", container.Name], TimeSpan.FromMinutes(2));
                    lock (_hostTexts)
                    {
                        _hostTexts.Add(("proxy-output", output.Stdout + output.Stderr));
                    }

                    var forwarding = await ExternalCommand.RunAsync(
                        Engine, ["exec", container.Name, "cat", "/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv6/conf/all/forwarding"], TimeSpan.FromMinutes(2));
                    var status = await ExternalCommand.RunAsync(Engine, ["exec", container.Name, "cat", "/proc/1/status"], TimeSpan.FromMinutes(2));
                    string Field(string name) => status.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
                    AddHostCheck("proxy-forwarding", string.Join(' ', forwarding.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
                    AddHostCheck("proxy-capeff", Field("CapEff"));
                    AddHostCheck("proxy-nonewprivs", Field("NoNewPrivs"));
                }
            }

            AddHostCheck("proxies", proxies.ToString(CultureInfo.InvariantCulture));
            foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                foreach (var file in new[] { "cmdline", "environ" })
                {
                    try
                    {
                        var bytes = await File.ReadAllBytesAsync(Path.Combine(process, file));
                        lock (_hostTexts)
                        {
                            _hostTexts.Add(("host-proc", System.Text.Encoding.Latin1.GetString(bytes)));
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // the process ended or is not readable
                    }
                }
            }
        }
        finally
        {
            await File.WriteAllTextAsync(doneFile, "done");
        }
    }

    /// <summary>ADM-01: the attack run's own proxy container, found by its run's labels (the run id that is not the
    /// peer's), named to the probe through the workspace; written whole (rename) so the probe never reads half a name.</summary>
    private async Task HandOverAttackProxyNameAsync(List<ContainerInfo> mine, IPAddress peerProxy, string nameFile)
    {
        static string? Label(ContainerInfo c, string key) => c.Labels.TryGetValue(key, out var value) ? value : null;
        var proxies = mine.Where(c => Label(c, RunLabels.Role) == "proxy").ToList();
        var peerRun = Label(proxies.Single(p => p.NetworkAddresses.Values.Contains(peerProxy)), RunLabels.RunIdKey);
        AttackProxyName = proxies.Single(p => Label(p, RunLabels.RunIdKey) != peerRun).Name;
        await File.WriteAllTextAsync(nameFile + ".tmp", AttackProxyName + "\n");
        File.Move(nameFile + ".tmp", nameFile);
    }

    private void AddHostCheck(string key, string value)
    {
        lock (HostChecks)
        {
            // Every proxy must show the same value; differing values are all kept, so a test sees them.
            HostChecks[key] = HostChecks.TryGetValue(key, out var seen) && seen != value ? seen + " | " + value : value;
        }
    }

    private LeakScan ScanForRealValues(string runs, params string[] networkLogs)
    {
        var scan = new LeakScan([RealA, RealB, RealAws.KeyId, RealAws.Secret, RealAws.Session]);
        foreach (var output in new[] { AttackOutput, PeerOutput, ResourcesOutput, DiskOutput })
        {
            scan.Add("stdout", output.Stdout);
            scan.Add("stderr", output.Stderr);
            scan.Add("network-log-followed", output.NetworkLog);
        }

        foreach (var log in networkLogs.Where(File.Exists))
        {
            scan.Add("network-log", File.ReadAllText(log));
        }

        scan.Add("logger", _logs.Lines);
        scan.Add("proxy-debug-output", _logs.Lines.Where(IsProxyOutput));
        if (Directory.Exists(runs))
        {
            foreach (var file in Directory.EnumerateFiles(runs, "*", SearchOption.AllDirectories))
            {
                scan.Add("run-directory", File.ReadAllBytes(file));
            }
        }

        foreach (var (source, text) in _hostTexts)
        {
            scan.Add(source, text);
        }

        foreach (var e in OutsideEvents)
        {
            scan.Add("outside-recorder", e.Data);
        }

        // The upstream may see A's real values in one place only: the credential headers (Authorization,
        // x-amz-security-token) of a request for a host in A's scopes. Those header lines are counted as injections and
        // cut out; every other byte is scanned.
        foreach (var e in UpstreamEvents)
        {
            var text = e.Text;
            if (e.Kind == "http" && e.Sni is { } sni && (sni == "scoped.test" || sni.EndsWith(".scoped.test", StringComparison.Ordinal)))
            {
                var lines = text.Split("\r\n");
                var credentials = lines.Where(IsScopedCredentialLine).ToList();
                InjectedRealValues += credentials.Count;
                text = string.Join("\r\n", lines.Where(l => !IsScopedCredentialLine(l)));
            }

            scan.Add("upstream-recorder", text);
        }

        return scan;
    }

    /// <summary>A line of a proxy's own output (at Trace here), passed on by the runner at the end of the run (LOG-03).</summary>
    internal static bool IsProxyOutput(string loggerLine) =>
        loggerLine.StartsWith("Information Airut.Sandbox.Core.Running.SandboxRunner: Proxy ", StringComparison.Ordinal)
        && (loggerLine.Contains(" stdout: ", StringComparison.Ordinal) || loggerLine.Contains(" stderr: ", StringComparison.Ordinal));

    private bool IsScopedCredentialLine(string line) =>
        (line.StartsWith("authorization:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("x-amz-security-token:", StringComparison.OrdinalIgnoreCase))
        && new[] { RealA, RealAws.KeyId, RealAws.Session }.Any(real => line.Contains(real, StringComparison.Ordinal));
}

/// <summary>The security suite's world on Podman.</summary>
public sealed class PodmanSecurityWorld() : SecurityWorld("podman");

/// <summary>The security suite's world on Docker.</summary>
public sealed class DockerSecurityWorld() : SecurityWorld("docker");
