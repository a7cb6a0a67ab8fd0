using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Testing;
using Xunit.Abstractions;

namespace Airut.Sandbox.EndToEnd.Tests.Clients;

/// <summary>
/// attacks.md CFG-01 (the Action's way), CFG-02 and CFG-06 on both engines: the workspace is a git checkout of the
/// trusted base whose .airut/ the host reads; inside the sandbox the command checks out the PR commit exactly as the
/// Action's sandboxed step does, which replaces .airut/ with hostile files, then overwrites the allowlist itself and
/// plants hooks, git config and tools. The running proxy keeps its snapshot, and nothing on the host runs them.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class ConfigTrustEndToEndTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    private const string TrustedAllowlist = "url_prefixes:\n  - host: py.test\n    path: /ok\n    methods: [GET]\n";

    /// <summary>What the Action runs in the sandbox (samples/action/scripts/sandbox-command.sh, checkout mode).</summary>
    private const string ActionCheckout = "git -c advice.detachedHead=false checkout \"$1\" && eval \"$2\"";

    private const string Code = "curl -s -o /dev/null -w '%{http_code}' --max-time 30";

    private readonly PublishedProxyFixture _proxy;
    private readonly ITestOutputHelper _output;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-trust-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public ConfigTrustEndToEndTests(PublishedProxyFixture proxy, ITestOutputHelper output)
    {
        _proxy = proxy;
        _output = output;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "CFG-02")]
    [Trait("Spec", "CFG-01")]
    [Trait("Spec", "CFG-06")]
    public async Task CFG_01_CFG_02_CFG_06_config_rewritten_mid_run_changes_nothing_and_planted_hooks_never_run_on_the_host(string engine)
    {
        var marker = Path.Combine(_scratch, "PWNED");
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, output: _output);
        await using var upstream = await ClientsUpstream.StartAsync(
            sandbox.Runtime, $"airut-e2e-{_suffix}-upstream", sandbox.EgressNetwork, "unused", ClientCredentials.Create());
        var airut = Path.Combine(sandbox.Workspace, ".airut");
        await File.WriteAllTextAsync(Path.Combine(airut, "upstream-ca.pem"), upstream.CaCertificatePem);
        await File.WriteAllTextAsync(Path.Combine(airut, "network-allowlist.yaml"), TrustedAllowlist);
        var hosts = string.Concat(ClientsUpstream.HostNames.Select(h => $"  {h}: {upstream.Address}\n"));
        await File.WriteAllTextAsync(
            Path.Combine(airut, "sandbox.yaml"),
            $"egress_network: {sandbox.EgressNetwork}\nupstream_hosts:\n{hosts}upstream_hosts_only: true\nupstream_ca_bundle: .airut/upstream-ca.pem\n");
        var prCommit = await CommitBaseAndHostilePrAsync(sandbox.Workspace);
        var command =
            "echo \"checked_out=$(git rev-parse HEAD)\"; " +
            "echo \"pr_allowlist=$(tr -d '\\n' < .airut/network-allowlist.yaml)\"; " +
            $"echo \"allowed=$({Code} https://py.test/ok)\"; " +
            $"echo \"other=$({Code} https://py.test/other)\"; " +
            "printf 'domains: [\"*\"]\\nurl_prefixes:\\n  - host: \"*\"\\n' > .airut/network-allowlist.yaml; " +
            "printf 'network_sandbox: false\\n' > .airut/sandbox.yaml; sleep 3; " +
            $"echo \"other_after_rewrite=$({Code} https://py.test/other)\"; " +
            $"echo \"unscoped_after_rewrite=$({Code} -X PUT https://unscoped.test/bucket/x)\"; " +
            // CFG-06: everything a later host-side step could trip over, each one touching the host marker.
            $"hook='#!/bin/sh\ntouch {marker}\n'; " +
            "mkdir -p .githooks node_modules/.bin; " +
            "for f in .githooks/post-checkout .git/hooks/post-checkout .git/hooks/pre-commit .git/hooks/post-merge node_modules/.bin/tsc; do printf \"$hook\" > $f; chmod +x $f; done; " +
            "git config core.hooksPath /workspace/.githooks; " +
            $"git config core.fsmonitor 'touch {marker}'; git config core.sshCommand 'touch {marker}'; " +
            $"printf 'touch {marker}\\n' > .envrc; echo planted";

        var result = await sandbox.Runner.RunAsync(
            new SandboxRunRequest
            {
                Command = ["bash", "-c", ActionCheckout, "_", prCommit, command],
                WorkspaceDirectory = sandbox.Workspace,
                FollowNetworkLog = true,
            },
            sandbox.Output,
            CancellationToken.None);

        var stderr = string.Join('\n', sandbox.Output.Stderr);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stderr:\n{stderr}");
        string[] expected =
        [
            $"checked_out={prCommit}", "pr_allowlist=domains: [\"*\"]",
            "allowed=200", "other=403", "other_after_rewrite=403", "unscoped_after_rewrite=403", "planted",
        ];
        Assert.True(expected.SequenceEqual(sandbox.Output.Stdout), $"stdout:\n{string.Join('\n', sandbox.Output.Stdout)}\nstderr:\n{stderr}");
        Assert.Equal(2, sandbox.Output.NetworkLog.Count(l => l.StartsWith("BLOCKED GET https://py.test/other -> 403", StringComparison.Ordinal)));
        Assert.DoesNotContain(sandbox.Output.NetworkLog, l => l.StartsWith("ALLOWED", StringComparison.Ordinal) && !l.Contains("https://py.test/ok ", StringComparison.Ordinal));

        // The rewrite reached the very files the host read its configuration from: the snapshot is what held.
        Assert.Contains("\"*\"", await File.ReadAllTextAsync(Path.Combine(airut, "network-allowlist.yaml")), StringComparison.Ordinal);
        Assert.Equal("network_sandbox: false\n", await File.ReadAllTextAsync(Path.Combine(airut, "sandbox.yaml")));
        Assert.True(File.Exists(Path.Combine(sandbox.Workspace, ".git", "hooks", "post-checkout")));
        await sandbox.AssertNothingLeftAsync();
        Assert.False(File.Exists(marker), "a planted hook, fsmonitor, tool or .envrc ran on the host during or after the run");
    }

    /// <summary>Commits the trusted workspace as the base, then a PR commit replacing .airut/ with hostile files; returns its SHA.</summary>
    private static async Task<string> CommitBaseAndHostilePrAsync(string workspace)
    {
        await GitAsync(workspace, "init", "-q", "-b", "main");
        await GitAsync(workspace, "add", "-A");
        await GitAsync(workspace, "commit", "-q", "-m", "trusted base");
        await GitAsync(workspace, "checkout", "-q", "-b", "pr");
        var airut = Path.Combine(workspace, ".airut");
        await File.WriteAllTextAsync(Path.Combine(airut, "network-allowlist.yaml"), "domains: [\"*\"]\n");
        await File.WriteAllTextAsync(Path.Combine(airut, "sandbox.yaml"), "network_sandbox: false\npass_env: [AWS_SECRET_ACCESS_KEY]\n");
        await File.WriteAllTextAsync(Path.Combine(airut, "container", "Dockerfile"), "FROM localhost/attacker/img\nCOPY /etc/shadow /x\n");
        await GitAsync(workspace, "commit", "-q", "-am", "hostile PR");
        var sha = (await GitAsync(workspace, "rev-parse", "HEAD")).Trim();
        await GitAsync(workspace, "checkout", "-q", "main");
        return sha;
    }

    private static async Task<string> GitAsync(string workspace, params string[] arguments)
    {
        string[] identity = ["-c", "user.name=Airut Test", "-c", "user.email=test@airut.test", "-c", "core.hooksPath=/dev/null", "-C", workspace];
        var result = await ExternalCommand.RunAsync("git", [.. identity, .. arguments], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Stderr}");
        return result.Stdout;
    }
}
