using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Docker;
using Airut.Sandbox.Podman;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Airut.Sandbox.EndToEnd.Tests;

[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class SandboxRunEndToEndTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    private readonly PublishedProxyFixture _proxy;
    private readonly ITestOutputHelper _output;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public SandboxRunEndToEndTests(PublishedProxyFixture proxy, ITestOutputHelper output)
    {
        _proxy = proxy;
        _output = output;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    public async Task Echo_hello_runs_in_the_client_image_behind_the_proxy_and_leaves_nothing_behind(string engine)
    {
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, output: _output);
        var networkLog = Path.Combine(_scratch, "logs", "network.log");

        var result = await sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["echo", "hello"], WorkspaceDirectory = sandbox.Workspace, NetworkLogPath = networkLog },
            sandbox.Output,
            CancellationToken.None);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stderr:\n{string.Join('\n', sandbox.Output.Stderr)}");
        Assert.Equal(["hello"], sandbox.Output.Stdout);
        Assert.Empty(sandbox.Output.Stderr);
        Assert.False(result.TimedOut);
        Assert.Equal(networkLog, result.NetworkLogPath);
        Assert.StartsWith("=== TASK START", await File.ReadAllTextAsync(networkLog), StringComparison.Ordinal);
        await sandbox.AssertNothingLeftAsync();
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "NET-02")]
    public async Task NET_02_SEC_01_TOP_15_TOP_20_the_client_is_confined_trusts_only_the_run_CA_every_name_resolves_to_the_proxy_and_a_blocked_host_gets_403(string engine)
    {
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, output: _output);
        const string Script =
            "ip=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf); " +
            "echo ping_group_range=$(tr '\\t' ' ' < /proc/sys/net/ipv4/ping_group_range); " +
            "echo is_sandbox=$IS_SANDBOX; " +
            "echo ca_private_keys=$(grep -c 'PRIVATE KEY' /usr/local/share/ca-certificates/mitmproxy-ca.crt); " +
            "echo system_bundle_certificates=$(grep -c 'BEGIN CERTIFICATE' /etc/ssl/certs/ca-certificates.crt); " +
            "echo capeff=$(awk '/^CapEff/{print $2}' /proc/self/status); " +
            "echo no_new_privs=$(awk '/^NoNewPrivs/{print $2}' /proc/self/status); " +
            "echo hosts_gateway_entries=$(cat /etc/hosts 2>/dev/null | grep -E 'host[.](containers|docker)[.]internal' | grep -vc '^127[.]'); " +
            "echo blocked=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 --resolve blocked.test:443:$ip https://blocked.test/x); " +
            "echo blocked_system_store=$(env -u CURL_CA_BUNDLE -u SSL_CERT_FILE curl -s -o /dev/null -w '%{http_code}' --max-time 20 --resolve blocked.test:443:$ip https://blocked.test/y); " +
            "if [ \"$(getent hosts anything.invalid | awk '{print $1}')\" = \"$ip\" ]; then echo dns=proxy; else echo dns=other; fi; " +
            "echo blocked_by_name=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 https://blocked.test/z)";

        var result = await sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["sh", "-c", Script], WorkspaceDirectory = sandbox.Workspace, FollowNetworkLog = true },
            sandbox.Output,
            CancellationToken.None);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stderr:\n{string.Join('\n', sandbox.Output.Stderr)}");
        Assert.Equal(
            [
                "ping_group_range=1 0", "is_sandbox=1", "ca_private_keys=0", "system_bundle_certificates=1", "capeff=00000000000000cb", "no_new_privs=1", "hosts_gateway_entries=0",
                "blocked=403", "blocked_system_store=403", "dns=proxy", "blocked_by_name=403",
            ],
            sandbox.Output.Stdout);
        Assert.Contains(sandbox.Output.NetworkLog, l => l.StartsWith("BLOCKED", StringComparison.Ordinal) && l.Contains("blocked.test", StringComparison.Ordinal));
        Assert.Null(result.NetworkLogPath);
        await sandbox.AssertNothingLeftAsync();
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "SEC-01")]
    public async Task SEC_01_an_allowed_request_reaches_the_test_upstream_with_the_real_secret_while_the_command_only_ever_sees_the_surrogate(string engine)
    {
        var real = "ghp_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, networkSandbox: false, output: _output);
        await using var upstream = await UpstreamServer.StartAsync(
            sandbox.Runtime, $"airut-e2e-{_suffix}-upstream", sandbox.EgressNetwork, SandboxUnderTest.ClientImage, "Bearer " + real);
        await sandbox.UseUpstreamAsync(
            upstream, $"masked_secrets:\n  GH_TOKEN:\n    value: \"{real}\"\n    scopes: [\"{UpstreamServer.HostName}\"]\n    headers: [\"Authorization\"]\n");
        const string Script =
            "ip=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf); " +
            "echo token_length=${#GH_TOKEN}; " +
            "echo answer=$(curl -s --max-time 20 --resolve allowed.test:443:$ip -H \"Authorization: Bearer $GH_TOKEN\" https://allowed.test/check); " +
            "env | grep -c \"$REAL_PREFIX\" || true";

        var result = await sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["sh", "-c", Script.Replace("$REAL_PREFIX", real[..12], StringComparison.Ordinal)], WorkspaceDirectory = sandbox.Workspace },
            sandbox.Output,
            CancellationToken.None);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stderr:\n{string.Join('\n', sandbox.Output.Stderr)}");
        Assert.Equal([$"token_length={real.Length}", "answer=match", "0"], sandbox.Output.Stdout);
        await sandbox.AssertNothingLeftAsync();
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "RES-04")]
    public async Task RES_04_CLI_60_at_the_timeout_the_container_is_killed_and_the_run_ends_with_124(string engine)
    {
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, networkSandbox: false, output: _output);

        var result = await sandbox.Runner.RunAsync(
            new SandboxRunRequest
            {
                Command = ["sh", "-c", "trap '' TERM INT HUP; echo started; sleep 600"],
                WorkspaceDirectory = sandbox.Workspace,
                Timeout = TimeSpan.FromSeconds(10),
            },
            sandbox.Output,
            CancellationToken.None);

        Assert.Equal(124, result.ExitCode);
        Assert.True(result.TimedOut);
        Assert.Equal(["started"], sandbox.Output.Stdout);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(120));
        await sandbox.AssertNothingLeftAsync();
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "RES-02")]
    public async Task RES_02_a_command_over_its_memory_limit_is_OOM_killed_and_the_run_ends_with_137(string engine)
    {
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, networkSandbox: false, extraConfig: "resource_limits:\n  memory: 64m\n", output: _output);

        var result = await sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["python3", "-c", "b = bytearray(512 * 1024 * 1024); print(len(b))"], WorkspaceDirectory = sandbox.Workspace },
            sandbox.Output,
            CancellationToken.None);

        Assert.Equal(137, result.ExitCode);
        Assert.True(result.OomKilled);
        Assert.Empty(sandbox.Output.Stdout);
        await sandbox.AssertNothingLeftAsync();
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "CLI-61")]
    public async Task CLI_61_cancelling_a_run_stops_a_command_that_ignores_TERM_within_the_grace_period_and_cleans_up(string engine)
    {
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, networkSandbox: false, output: _output);
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        sandbox.Output.OnStdout = line =>
        {
            if (line == "started")
            {
                started.TrySetResult();
            }
        };

        var run = sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["sh", "-c", "trap '' TERM INT HUP; echo started; sleep 600"], WorkspaceDirectory = sandbox.Workspace },
            sandbox.Output,
            cancel.Token);
        if (await Task.WhenAny(started.Task, run).WaitAsync(TimeSpan.FromMinutes(3)) == run)
        {
            var ended = await run;
            Assert.Fail($"The run ended (exit {ended.ExitCode}) before the command printed 'started'; stderr:\n{string.Join('\n', sandbox.Output.Stderr)}");
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        await sandbox.AssertNothingLeftAsync();
    }
}
