using System.Globalization;

namespace Airut.Sandbox.EndToEnd.Tests.Security;

/// <summary>
/// The R-mode cases of attacks.md, one test per case ID, asserted against what the engine's <see cref="SecurityWorld"/>
/// runs printed (probes inside a real sandbox), what its recorders saw, and the network log. Derived per engine.
/// </summary>
public abstract class SecuritySuite
{
    private static readonly string[] Reached = ["connected", "answered", "replied", "opened", "opened-sent", "handshake", "allowed"];

    private readonly SecurityWorld _world;

    private protected SecuritySuite(SecurityWorld world) => _world = world;

    private ProbeResults Attack => _world.Attack;

    private string ProxyAddress => Attack.Get("ENV", "proxy");

    [Fact]
    [Trait("Spec", "NET-01")]
    public void NET_01_direct_IP_TCP_UDP_and_QUIC_egress_fails_and_the_outside_recorder_sees_nothing()
    {
        AssertRunsCompleted();
        var probes = Attack.Of("NET-01");
        Assert.Equal(12, probes.Count);
        Assert.All(probes, p => Assert.DoesNotContain(p.Value, Reached));
        Assert.All(["curl-tcp-8080", "pinned-name"], name => Assert.Equal("000", probes[name]));
        AssertOutsideUntouched();
        var client = Attack.Get("ENV", "client");
        Assert.DoesNotContain(_world.UpstreamEvents, e => e.Peer == client);
    }

    [Fact]
    [Trait("Spec", "NET-02")]
    public void NET_02_unprivileged_ICMP_is_off_and_no_echo_request_reaches_the_outside()
    {
        AssertRunsCompleted();
        Assert.Equal("1 0", Attack.Get("NET-02", "ping_group_range"));
        Assert.StartsWith("denied:", Attack.Get("NET-02", "icmp-socket"), StringComparison.Ordinal);
        Assert.Equal("failed", Attack.Get("NET-02", "ping-outside"));
        Assert.Equal("failed", Attack.Get("NET-02", "ping-gateway"));
        Assert.Contains(_world.OutsideEvents, e => e.Kind == "icmp-capture" && e.State == "on");
        Assert.Contains(_world.OutsideEvents, e => e.Kind == "icmp" && e.Peer == _world.OutsideControlPeer);
        Assert.DoesNotContain(_world.OutsideEvents, e => e.Kind == "icmp" && e.Peer != _world.OutsideControlPeer);
    }

    [Fact]
    [Trait("Spec", "NET-03")]
    public void NET_03_the_proxy_forwards_no_packets_and_its_egress_side_is_unreachable_from_the_client()
    {
        AssertRunsCompleted();
        var probes = Attack.Of("NET-03");
        Assert.Equal(6, probes.Count);
        Assert.All(probes, p => Assert.DoesNotContain(p.Value, Reached));
        Assert.Equal("2", _world.HostChecks["proxies"]);
        Assert.Equal("0 0", _world.HostChecks["proxy-forwarding"]);
        AssertOutsideUntouched();
    }

    [Fact]
    [Trait("Spec", "NET-04")]
    public void NET_04_the_proxy_listens_on_TCP_80_and_443_and_UDP_53_only()
    {
        AssertRunsCompleted();
        // TCP 53 may be open only if it behaves exactly like UDP 53 (DNS-04: TXT gets NOTIMP).
        var open = Attack.Get("NET-04", "tcp-open");
        Assert.Contains(open, new[] { "80,443", "53,80,443" });
        if (open.StartsWith("53,", StringComparison.Ordinal))
        {
            Assert.Equal("NOTIMP", Attack.Get("DNS-04", "tcp-53-txt"));
        }

        Assert.Equal("answered", Attack.Get("NET-04", "udp-53"));
        Assert.All(["udp-443", "udp-853", "udp-5353", "udp-123", "udp-161"], name => Assert.DoesNotContain(Attack.Get("NET-04", name), Reached));
        Assert.Equal("failed", Attack.Get("NET-04", "dot-853"));
        Assert.Equal("refused", Attack.Get("NET-04", "ssh-22"));
    }

    [Fact]
    [Trait("Spec", "NET-05")]
    public void NET_05_the_host_and_runtime_APIs_are_unreachable_through_any_gateway()
    {
        AssertRunsCompleted();
        var probes = Attack.Of("NET-05");
        Assert.All(probes, p => Assert.DoesNotContain(p.Value, Reached));
        Assert.Equal("000", Attack.Get("NET-05", "docker-api-outside-gateway"));
        Assert.All(probes.Where(p => p.Key.StartsWith("alias-", StringComparison.Ordinal) && !p.Key.EndsWith("-tcp", StringComparison.Ordinal)),
            p => Assert.Contains(p.Value, new[] { "none", "127.0.0.1", ProxyAddress }));
        Assert.Equal("0", Attack.Get("NET-05", "hosts-gateway-entries"));
        Assert.Equal(0, _world.HostListenerConnections);
    }

    [Fact]
    [Trait("Spec", "NET-07")]
    public void NET_07_a_concurrent_sandbox_is_unreachable_and_its_surrogates_and_scopes_stay_its_own()
    {
        AssertRunsCompleted();
        Assert.True(_world.PeerResult is { ExitCode: 0 }, $"peer run: exit {_world.PeerResult?.ExitCode}");
        Assert.Contains("PEER released", _world.PeerOutput.Stdout);
        var probes = Attack.Of("NET-07");
        Assert.All(probes.Where(p => p.Key.StartsWith("peer-proxy-", StringComparison.Ordinal) || p.Key.StartsWith("peer-client-", StringComparison.Ordinal)),
            p => Assert.DoesNotContain(p.Value, Reached));
        Assert.Equal(9, probes.Count(p => p.Key.StartsWith("peer-", StringComparison.Ordinal) && !p.Key.Contains("surrogate", StringComparison.Ordinal)));

        // A's surrogate to a host scoped only in B arrives as the surrogate, never as either real value.
        var own = SingleUpstreamRequest("/pub/net07-own");
        // Assert.True/False, not Contains: a failure message must never print a real value.
        Assert.True(own.Contains("Bearer " + Attack.Get("SEC-01", "surrogate"), StringComparison.Ordinal), "A's surrogate did not reach scopedb.test as sent");
        Assert.False(own.Contains(_world.RealA, StringComparison.Ordinal), "A's real value reached scopedb.test, outside its scope");
        Assert.False(own.Contains(_world.RealB, StringComparison.Ordinal), "B's real value left through A's proxy");

        // B's surrogate sent through A's proxy is never swapped for B's real value (it is stripped or blocked).
        var peerCode = Attack.Get("NET-07", "peer-surrogate-to-scoped");
        Assert.Contains(peerCode, new[] { "200", "403" });
        Assert.DoesNotContain(_world.UpstreamEvents, e => e.Text.Contains(_world.RealB, StringComparison.Ordinal));
        Assert.Null(_world.LeftBehind);
    }

    [Fact]
    [Trait("Spec", "DNS-01")]
    public void DNS_01_every_A_query_answers_the_proxy_with_TTL_60_is_logged_and_never_reaches_an_upstream_resolver()
    {
        AssertRunsCompleted();
        Assert.Equal($"ttl=60 addr={ProxyAddress}", Attack.Get("DNS-01", "dig-a"));
        Assert.Equal(ProxyAddress, Attack.Get("DNS-01", "dig-allowed"));
        Assert.Equal(ProxyAddress, Attack.Get("DNS-01", "getent"));
        var name = Attack.Get("DNS-01", "dig-name");
        Assert.Single(_world.AttackNetworkLog, l => l.StartsWith("DNS A " + name, StringComparison.Ordinal) && l.Contains(ProxyAddress, StringComparison.Ordinal));
        Assert.DoesNotContain(_world.OutsideEvents, e => e.Kind == "udp" && e.Port == 53);
        AssertOutsideUntouched();
    }

    [Fact]
    [Trait("Spec", "DNS-04")]
    public void DNS_04_alternate_resolver_paths_reach_only_the_proxy_and_DoT_and_DoH_are_refused()
    {
        AssertRunsCompleted();
        Assert.Contains(Attack.Get("DNS-04", "tcp-53-txt"), new[] { "NOTIMP", "no-answer" });
        Assert.Equal("NOTIMP", Attack.Get("DNS-04", "udp-txt"));
        Assert.Contains(Attack.Get("DNS-04", "docker-embedded"), new[] { "NOTIMP", "no-answer" });
        Assert.DoesNotContain(Attack.Of("DNS-04").GetValueOrDefault("gateway", "silent"), Reached);
        Assert.DoesNotContain(Attack.Get("DNS-04", "outside-resolver"), Reached);
        Assert.Equal("failed", Attack.Get("DNS-04", "outside-resolver-dig"));
        Assert.Equal("failed", Attack.Get("NET-04", "dot-853"));
        Assert.Equal("403", Attack.Get("DNS-04", "doh"));
        Assert.Single(_world.AttackNetworkLog, l => l.StartsWith("BLOCKED GET https://doh.test/dns-query?", StringComparison.Ordinal));
        Assert.Equal(ProxyAddress, Attack.Get("DNS-04", "nameservers"));
        AssertOutsideUntouched();
    }

    [Fact]
    [Trait("Spec", "ADM-01")]
    public void ADM_01_the_proxy_itself_loopback_and_builtin_hosts_and_paths_get_403_and_no_builtin_handler_answers()
    {
        AssertRunsCompleted();
        var probes = Attack.Of("ADM-01");
        Assert.All(probes.Where(p => p.Key is not ("options-star" or "body-error" or "proxy-name" or "body-proxy-name")), p => Assert.Equal("403", p.Value));
        Assert.Equal(18, probes.Count);
        Assert.Contains(probes["options-star"], new[] { "400", "403" });
        Assert.Equal("blocked_by_network_allowlist", probes["body-error"]);

        // The proxy's real container name, handed over by the host from the engine's run labels while the run was live.
        Assert.StartsWith("airut-e2e-", _world.AttackProxyName, StringComparison.Ordinal);
        Assert.Contains("-proxy-", _world.AttackProxyName, StringComparison.Ordinal);
        Assert.Equal(_world.AttackProxyName, probes["proxy-name"]);
        Assert.Equal("blocked_by_network_allowlist", probes["body-proxy-name"]);
        Assert.Single(_world.AttackNetworkLog, l => l == $"BLOCKED GET http://{_world.AttackProxyName}/?rq=a6 -> 403");
        Assert.Single(_world.AttackNetworkLog, l => l == $"BLOCKED GET https://{_world.AttackProxyName}/?rq=a7 -> 403");
        AssertOutsideUntouched();
        Assert.DoesNotContain(_world.UpstreamEvents, e => e.Kind == "http" && System.Text.RegularExpressions.Regex.IsMatch(e.Text, @"rq=a[0-9]"));
    }

    [Fact]
    [Trait("Spec", "CT-01")]
    public void CT_01_the_client_has_exactly_the_five_minimal_capabilities_no_new_privileges_and_seccomp()
    {
        AssertRunsCompleted();
        foreach (var set in new[] { "capeff", "capprm", "capbnd" })
        {
            Assert.Equal("00000000000000cb", Attack.Get("CT-01", set));
        }

        Assert.Equal("0000000000000000", Attack.Get("CT-01", "capamb"));
        Assert.Equal("0000000000000000", Attack.Get("CT-01", "capinh"));
        Assert.Equal("1", Attack.Get("CT-01", "nonewprivs"));
        Assert.Equal("2", Attack.Get("CT-01", "seccomp"));
        Assert.NotEmpty(Attack.Get("CT-01", "uid_map"));
    }

    [Fact]
    [Trait("Spec", "CT-02")]
    public void CT_02_privileged_operations_are_all_denied() => AssertAllDenied("CT-02", 12);

    [Fact]
    [Trait("Spec", "CT-03")]
    public void CT_03_proc_sys_and_cgroup_interfaces_are_read_only_or_masked()
    {
        AssertRunsCompleted();
        var probes = Attack.Of("CT-03");
        Assert.Equal(11, probes.Count);
        Assert.All(probes.Where(p => p.Key is not ("kcore" or "keys" or "timer_list" or "sched_debug")), p => Assert.Equal("denied", p.Value));
        Assert.All(["kcore", "keys", "timer_list", "sched_debug"], name => Assert.Equal("0", probes[name]));
    }

    [Fact]
    [Trait("Spec", "CT-04")]
    public void CT_04_raw_sockets_and_network_administration_are_denied()
    {
        AssertRunsCompleted();
        var probes = Attack.Of("CT-04");
        Assert.Equal(6, probes.Count);
        Assert.All(probes, p => Assert.StartsWith("denied", p.Value, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "CT-05")]
    public void CT_05_a_setuid_binary_or_device_planted_in_the_workspace_stays_inert()
    {
        AssertRunsCompleted();
        Assert.Equal("denied", Attack.Get("CT-05", "mknod-char"));
        Assert.False(_world.PlantedDeviceOnHost);
        var options = Attack.Get("CT-05", "workspace-mount").Split(',');
        var rootSetuidOnHost = _world.PlantedSetuidOnHost.Split(' ') is ["0", var mode] && mode.Length == 4 && (mode[0] - '0' & 4) != 0;
        Assert.True(
            !rootSetuidOnHost || (options.Contains("nosuid") && options.Contains("nodev")),
            $"{_world.Engine}: the workspace is mounted '{string.Join(',', options)}' and the planted file is '{_world.PlantedSetuidOnHost}' (uid mode) on the host");
    }

    [Fact]
    [Trait("Spec", "CT-06")]
    public void CT_06_the_client_sees_only_its_own_mounts_processes_and_hostname_and_no_runtime_socket()
    {
        AssertRunsCompleted();
        Assert.Equal("0", Attack.Get("CT-06", "runtime-sockets"));
        Assert.Equal(string.Empty, Attack.Get("CT-06", "sockets"));
        Assert.Equal("0", Attack.Get("CT-06", "runtime-env"));
        Assert.Equal("0", Attack.Get("CT-06", "host-files"));
        Assert.NotEqual(_world.HostName, Attack.Get("CT-06", "hostname"));
        Assert.InRange(int.Parse(Attack.Get("CT-06", "processes"), CultureInfo.InvariantCulture), 1, 150);
        var allowed = new[]
        {
            "/", "/workspace", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/run/.containerenv",
            "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", // the run's CA bundle, read-only
        };
        var mounts = Attack.Get("CT-06", "mounts").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(
            mounts.Where(m => !m.StartsWith("/proc", StringComparison.Ordinal) && !m.StartsWith("/sys", StringComparison.Ordinal) && !m.StartsWith("/dev", StringComparison.Ordinal)),
            m => Assert.True(allowed.Contains(m) || m.StartsWith("/usr/local/share/ca-certificates/", StringComparison.Ordinal) || m.StartsWith("/usr/local/lib/airut/", StringComparison.Ordinal), $"unexpected mount {m}"));
    }

    [Fact]
    [Trait("Spec", "RES-01")]
    public void RES_01_a_fork_bomb_hits_the_pids_limit_and_the_proxy_still_answers()
    {
        AssertResourcesCompleted();
        Assert.Equal("300", _world.Resources.Get("RES-01", "pids.max"));
        Assert.StartsWith("capped at ", _world.Resources.Get("RES-01", "fork-bomb"), StringComparison.Ordinal);
        Assert.Equal("200", _world.Resources.Get("RES-01", "control-after"));
    }

    [Fact]
    [Trait("Spec", "RES-02")]
    public void RES_02_memory_without_swap_and_cpu_are_limited_as_configured()
    {
        AssertResourcesCompleted();
        Assert.Equal("1073741824", _world.Resources.Get("RES-02", "memory.limit"));
        Assert.Contains(_world.Resources.Get("RES-02", "memsw.limit"), new[] { "1073741824", "0", "unreadable" });
        Assert.Equal("100000 100000", _world.Resources.Get("RES-02", "cpu.quota"));
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public void RES_03_with_a_disk_limit_every_writable_place_ends_in_ENOSPC_or_EROFS_and_the_host_keeps_its_free_space()
    {
        Assert.True(_world.DiskResult is { ExitCode: 0 }, $"disk run: exit {_world.DiskResult?.ExitCode}; stderr:\n{string.Join('\n', _world.DiskOutput.Stderr.TakeLast(30))}");
        var disk = _world.Disk;
        Assert.Equal("tmpfs 65536k", disk.Get("RES-03", "workspace"));
        const string Full = "No space left on device";
        Assert.Equal(Full, disk.Get("RES-03", "fallocate-workspace"));
        Assert.All(["dd-workspace", "dd-var-tmp", "dd-tmp"], probe => Assert.Matches($"^{Full} after 6[34] MiB$", disk.Get("RES-03", probe)));
        Assert.Equal("Read-only file system after 0 MiB", disk.Get("RES-03", "dd-layer"));
        Assert.Equal("Read-only file system", disk.Get("RES-03", "touch-etc"));
        Assert.Matches($"^{Full} after [0-9]+ files$", disk.Get("RES-03", "inodes"));
        Assert.InRange(int.Parse(disk.Get("RES-03", "inodes").Split(' ')[^2], CultureInfo.InvariantCulture), 3000, 4096);
        Assert.Equal("200", disk.Get("RES-03", "control-after"));
        Assert.All(_world.DiskRunFreeSpaceLoss, loss => Assert.True(loss.Value < 1L << 30, $"{loss.Key} lost {loss.Value} bytes of free space during the disk run"));

        // The same limit with the workspace in an ordinary directory cannot be enforced: the run is refused, naming
        // the file, line and key, the workspace and why, and nothing was started (the world's final check finds no
        // leftover container, network or run directory).
        var refusal = _world.DiskRefusal;
        Assert.NotNull(refusal);
        Assert.Equal("resource_limits.disk", refusal.Key);
        Assert.Matches(@"sandbox\.yaml:\d+:\d+: resource_limits\.disk: the workspace /\S+/repo-disk-refused is not a filesystem of its own", refusal.Message);
        Assert.Null(_world.LeftBehind);
    }

    [Fact]
    [Trait("Spec", "RES-04")]
    public void RES_04_a_background_writer_does_not_outlive_the_run_and_nothing_is_left_behind()
    {
        AssertResourcesCompleted();
        Assert.Equal("started", _world.Resources.Get("RES-04", "writer"));
        Assert.True(_world.Heartbeat.After > 0, "the background writer never wrote");
        Assert.Equal(_world.Heartbeat.After, _world.Heartbeat.Later);
        Assert.Null(_world.LeftBehind);
    }

    [Fact]
    [Trait("Spec", "RES-05")]
    public void RES_05_an_output_flood_is_delivered_in_bounded_lines_and_the_run_completes()
    {
        AssertResourcesCompleted();
        Assert.Equal("alive", _world.Resources.Get("RES-05", "after-flood"));
        Assert.All(_world.ResourcesOutput.Stdout, l => Assert.InRange(l.Length, 0, 64 * 1024));
        Assert.Contains(_world.ResourcesOutput.Stdout, l => l.StartsWith(new string('A', 1000), StringComparison.Ordinal));
        Assert.Equal(20000, _world.ResourcesOutput.Stderr.Count(l => l == "flood"));
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public void RES_06_DNS_and_oversized_request_floods_are_all_answered_and_logged_and_the_proxy_survives()
    {
        AssertResourcesCompleted();
        Assert.Equal("sent 2000", _world.Resources.Get("RES-06", "dns-flood"));
        Assert.Equal("403x100", _world.Resources.Get("RES-06", "blocked-flood"));
        Assert.Equal("200", _world.Resources.Get("RES-06", "control-after"));
        Assert.Equal(100, _world.ResourcesNetworkLog.Count(l => l.StartsWith("BLOCKED GET https://evil.test/flood-", StringComparison.Ordinal)));
        AssertOutsideUntouched();
    }

    [Fact]
    [Trait("Spec", "LOG-01")]
    public void LOG_01_the_network_log_is_invisible_in_the_container_and_a_log_inside_a_mount_is_warned_about()
    {
        AssertRunsCompleted();
        Assert.Equal(string.Empty, Attack.Get("LOG-01", "visible-logs"));
        Assert.Contains(_world.LoggerLines, l => l.Contains("peer-network.log is inside a container mount", StringComparison.Ordinal));
        Assert.DoesNotContain(_world.LoggerLines, l => l.Contains("attack-network.log is inside", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "LOG-03")]
    public void LOG_03_the_log_starts_with_TASK_START_and_every_proxied_request_appears_exactly_once()
    {
        AssertRunsCompleted();
        Assert.StartsWith("=== TASK START", _world.AttackNetworkLog[0], StringComparison.Ordinal);
        string[] requests = ["n7a", "n7b", "d4doh", "aws1", "aws2", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a11", "a12", "a13", "a14", "a15", "a16", "a17", "s2a", "s2b", "s2c", "s2d", "g6"];
        var decisions = _world.AttackNetworkLog.Where(l => l.StartsWith("ALLOWED ", StringComparison.Ordinal) || l.StartsWith("BLOCKED ", StringComparison.Ordinal) || l.StartsWith("ERROR ", StringComparison.Ordinal)).ToList();
        Assert.All(requests, id => Assert.Single(decisions, l => l.Contains($"rq={id} ", StringComparison.Ordinal) || l.EndsWith($"rq={id}", StringComparison.Ordinal)));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("network-log"));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("logger"));

        // The proxies ran in their debug mode (Trace): the lines a troubleshooting user reads, and where a leak would be
        // most likely, were really written, and the scan above covered them (G4 counts every source).
        var proxyOutput = _world.LoggerLines.Where(SecurityWorld.IsProxyOutput).ToList();
        Assert.Contains(proxyOutput, l => l.Contains("dbug: Airut.Sandbox.Proxy.Http.ProxyRequestHandler", StringComparison.Ordinal)
            && l.Contains("Egress decision GET https://evil.test/x?rq=s2c: blocked", StringComparison.Ordinal));
        Assert.Contains(proxyOutput, l => l.Contains("Egress decision GET https://scoped.test/pub/inject?rq=s2a: allowed", StringComparison.Ordinal));
        Assert.Contains(proxyOutput, l => l.Contains("Masked secret TOK: injected into header 'Authorization' for scoped.test", StringComparison.Ordinal));
        Assert.Contains(proxyOutput, l => l.Contains("AWS re-signed (header) with credential AWS", StringComparison.Ordinal)
            && l.Contains("service=s3", StringComparison.Ordinal) && l.Contains("canonical_request_sha256=", StringComparison.Ordinal));
        Assert.Contains(proxyOutput, l => l.Contains("dbug: Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("proxy-debug-output"));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("proxy-output"));
    }

    [Fact]
    [Trait("Spec", "SEC-01")]
    public void SEC_01_the_client_holds_only_a_fresh_surrogate_and_no_real_value_CA_key_or_replacement_map()
    {
        AssertRunsCompleted();
        var surrogate = Attack.Get("SEC-01", "surrogate");
        Assert.False(surrogate == _world.RealA, "the client saw the real value");
        Assert.Equal(_world.RealA.Length, surrogate.Length);
        Assert.StartsWith(_world.RealA[..4], surrogate, StringComparison.Ordinal);
        foreach (var (name, real) in new[] { ("aws-key-id", _world.RealAws.KeyId), ("aws-secret", _world.RealAws.Secret), ("aws-session", _world.RealAws.Session) })
        {
            var aws = Attack.Get("SEC-01", name);
            Assert.False(aws == real, $"the client saw the real {name}");

            // Key id and secret keep their length; a session token surrogate is always 512 characters (SIG-03).
            Assert.Equal(name == "aws-session" ? 512 : real.Length, aws.Length);
        }

        Assert.StartsWith("AKIA", Attack.Get("SEC-01", "aws-key-id"), StringComparison.Ordinal);
        var nextRun = _world.Resources.Get("SEC-01", "surrogate");
        Assert.Equal(surrogate.Length, nextRun.Length);
        Assert.NotEqual(surrogate, nextRun);
        Assert.False(nextRun == _world.RealA, "the client saw the real value");
        Assert.Equal("0", Attack.Get("SEC-01", "real-slice-in-env"));
        Assert.Equal("0", Attack.Get("SEC-01", "real-slice-in-files"));
        Assert.Equal("0", Attack.Get("SEC-01", "ca-private-keys"));
        Assert.NotEqual("0", Attack.Get("SEC-01", "ca-certificates"));
        Assert.Equal(string.Empty, Attack.Get("SEC-01", "config-files"));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("inspect"));
    }

    [Fact]
    [Trait("Spec", "SEC-02")]
    public void SEC_02_error_paths_echo_no_real_value_secrets_are_not_in_argv_or_env_and_the_proxy_is_hardened()
    {
        AssertRunsCompleted();
        Assert.Equal("200", Attack.Get("SEC-02", "scoped-upstream"));
        Assert.Equal("502", Attack.Get("SEC-02", "tls-failure"));
        Assert.Equal("403", Attack.Get("SEC-02", "blocked-with-surrogate"));
        Assert.Equal("200", Attack.Get("SEC-02", "open-host-surrogate"));
        Assert.Equal("ok", Attack.Get("SEC-02", "body-s2a"));
        Assert.StartsWith("502 ", Attack.Get("SEC-02", "body-s2b"), StringComparison.Ordinal);
        var blocked = Attack.Get("SEC-02", "body-s2c");
        Assert.StartsWith("{\"error\":\"blocked_by_network_allowlist\"", blocked, StringComparison.Ordinal);
        Assert.DoesNotContain(Attack.Get("SEC-01", "surrogate"), blocked, StringComparison.Ordinal);
        Assert.True(_world.InjectedRealValues >= 3, "the scoped upstream did not receive the real token and AWS credential: the positive control failed");

        // AWS: re-signed with the real key on the scoped host; left in surrogate form outside the scope.
        Assert.Equal("200", Attack.Get("SEC-02", "aws-resigned"));
        Assert.Equal("ok", Attack.Get("SEC-02", "body-aws1"));
        var resigned = SingleUpstreamRequest("rq=aws1");
        Assert.True(resigned.Contains("Credential=" + _world.RealAws.KeyId + "/", StringComparison.Ordinal), "the scoped AWS request was not re-signed with the real key id");
        Assert.True(resigned.Contains("x-amz-security-token: " + _world.RealAws.Session, StringComparison.OrdinalIgnoreCase), "the scoped AWS request did not carry the real session token");
        Assert.False(resigned.Contains(Attack.Get("SEC-01", "aws-key-id"), StringComparison.Ordinal), "the surrogate key id reached the scoped host");
        Assert.Equal("200", Attack.Get("SEC-02", "aws-out-of-scope"));
        var outOfScope = SingleUpstreamRequest("rq=aws2");
        Assert.True(outOfScope.Contains("Credential=" + Attack.Get("SEC-01", "aws-key-id") + "/", StringComparison.Ordinal), "the out-of-scope AWS request was not left in surrogate form");
        Assert.False(outOfScope.Contains(_world.RealAws.KeyId, StringComparison.Ordinal), "the real key id reached a host outside the AWS scope");
        Assert.DoesNotContain(_world.UpstreamEvents, e => e.Kind == "http" && e.Sni == "tls.scoped.test");
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("stdout"));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("host-proc"));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("proxy-output"));
        Assert.Equal(0, _world.Leaks!.HitsBySource.GetValueOrDefault("inspect"));
        Assert.Equal("0000000000000400", _world.HostChecks["proxy-capeff"]);
        Assert.Equal("1", _world.HostChecks["proxy-nonewprivs"]);
    }

    [Fact]
    [Trait("Spec", "G4")]
    public void G4_no_real_value_appears_in_any_byte_the_suite_can_see()
    {
        AssertRunsCompleted();
        var leaks = _world.Leaks!;
        Assert.True(leaks.TotalHits == 0, "real values found in: " + string.Join(", ", leaks.HitsBySource.Where(h => h.Value > 0).Select(h => $"{h.Key} ({h.Value})")));
        Assert.Contains("upstream-recorder", leaks.HitsBySource.Keys);
        Assert.Contains("host-proc", leaks.HitsBySource.Keys);
        Assert.Contains("proxy-output", leaks.HitsBySource.Keys);
    }

    private void AssertRunsCompleted()
    {
        Assert.True(_world.AttackResult is { ExitCode: 0 }, $"attack run: exit {_world.AttackResult?.ExitCode}; stderr:\n{string.Join('\n', _world.AttackOutput.Stderr.TakeLast(30))}");
        Assert.Equal("done", Attack.Get("HOST", "check"));
        Assert.Equal("200", Attack.Get("G6", "control"));
    }

    private void AssertResourcesCompleted() =>
        Assert.True(_world.ResourcesResult is { ExitCode: 0 }, $"resource run: exit {_world.ResourcesResult?.ExitCode}; stderr:\n{string.Join('\n', _world.ResourcesOutput.Stderr.Where(l => l != "flood").TakeLast(30))}");

    private void AssertAllDenied(string caseId, int count)
    {
        AssertRunsCompleted();
        var probes = Attack.Of(caseId);
        Assert.Equal(count, probes.Count);
        Assert.All(probes, p => Assert.Equal("denied", p.Value));
    }

    private void AssertOutsideUntouched()
    {
        var control = _world.OutsideEvents.Where(e => e.Peer == _world.OutsideControlPeer).ToList();
        Assert.Contains(control, e => e.Kind == "tcp-data" && e.Port == 8080 && e.Text == "CONTROL\r\n");
        Assert.Contains(control, e => e.Kind == "udp" && e.Port == 9999 && e.Text == "CONTROL");
        var reached = _world.OutsideEvents.Where(e => e.IsContact && e.Peer != _world.OutsideControlPeer).ToList();
        Assert.True(reached.Count == 0, "the outside recorder was reached: " + string.Join("; ", reached.Select(e => $"{e.Kind} port {e.Port} from {e.Peer}")));
    }

    private string SingleUpstreamRequest(string path)
    {
        var requests = _world.UpstreamEvents.Where(e => e.Kind == "http" && e.Text.Contains(path, StringComparison.Ordinal)).ToList();
        Assert.Single(requests);
        return requests[0].Text;
    }
}

/// <summary>The R-mode security cases on Podman.</summary>
[Trait(Airut.Sandbox.Testing.TestCategories.Name, Airut.Sandbox.Testing.TestCategories.EndToEnd)]
public sealed class PodmanSecuritySuiteTests(PodmanSecurityWorld world) : SecuritySuite(world), IClassFixture<PodmanSecurityWorld>;

/// <summary>The R-mode security cases on Docker.</summary>
[Trait(Airut.Sandbox.Testing.TestCategories.Name, Airut.Sandbox.Testing.TestCategories.EndToEnd)]
public sealed class DockerSecuritySuiteTests(DockerSecurityWorld world) : SecuritySuite(world), IClassFixture<DockerSecurityWorld>;
