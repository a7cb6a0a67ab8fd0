using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Testing;
using Xunit.Abstractions;

namespace Airut.Sandbox.EndToEnd.Tests.Clients;

/// <summary>
/// Real clients through the real proxy, on both engines: git over smart HTTP, python3's HTTPS stack and an AWS
/// CLI-style SigV4 request, against a test-owned upstream on the test's own internal network (attacks.md §0.1).
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class RealClientsEndToEndTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    private const string Allowlist = """
        url_prefixes:
          - host: git.test
            path: /repo.git/info/refs*
            methods: [GET]
          - host: git.test
            path: /repo.git/git-upload-pack
            methods: [POST]
          - host: git.test
            path: /_state
            methods: [GET]
          - host: py.test
            path: /ok
            methods: [GET]
          - host: s3.scoped.test
            path: /bucket/*
            methods: [PUT]
          - host: unscoped.test
            path: /bucket/*
            methods: [PUT]

        """;

    private const string GitScript = """
        export GIT_TERMINAL_PROMPT=0
        auth="Authorization: Bearer $GIT_TOKEN"
        cd /tmp
        if git -c http.extraHeader="$auth" clone -q https://git.test/repo.git c 2>/tmp/clone.err; then echo clone=ok; else echo clone=failed; cat /tmp/clone.err >&2; fi
        echo "content=$(cat c/hello.txt 2>/dev/null)"
        if git clone -q https://git.test/repo.git c2 2>/dev/null; then echo clone_without_token=ok; else echo clone_without_token=failed; fi
        before=$(curl -s --max-time 30 -H "$auth" https://git.test/_state)
        cd c && echo change > new.txt && git add new.txt && git -c user.name=t -c user.email=t@t.test commit -qm change
        if git -c http.extraHeader="$auth" push -q origin HEAD:main 2>/tmp/push.err; then echo push=ok; else echo push=refused; fi
        if grep -q 'HTTP 403' /tmp/push.err; then echo push_error=403; else echo push_error=other; cat /tmp/push.err >&2; fi
        after=$(curl -s --max-time 30 -H "$auth" https://git.test/_state)
        if [ "$before" = "$after" ]; then echo "upstream_unchanged=${after%% main=*}"; else echo upstream_changed; fi
        python3 /workspace/clients/check.py

        """;

    private readonly PublishedProxyFixture _proxy;
    private readonly ITestOutputHelper _output;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-clients-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public RealClientsEndToEndTests(PublishedProxyFixture proxy, ITestOutputHelper output)
    {
        _proxy = proxy;
        _output = output;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "AWS-02")]
    [Trait("Spec", "SEC-01")]
    public async Task SEC_01_AWS_02_git_python_and_a_signed_aws_request_work_through_the_proxy_with_real_credentials_only_where_scoped(string engine)
    {
        var real = ClientCredentials.Create();
        var content = "content-" + Guid.NewGuid().ToString("N");
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, output: _output);
        await using var upstream = await ClientsUpstream.StartAsync(sandbox.Runtime, $"airut-e2e-{_suffix}-upstream", sandbox.EgressNetwork, content, real);
        await WriteWorkspaceAsync(sandbox, upstream, real);

        var result = await sandbox.Runner.RunAsync(
            new SandboxRunRequest { Command = ["sh", "-c", GitScript], WorkspaceDirectory = sandbox.Workspace, FollowNetworkLog = true },
            sandbox.Output,
            CancellationToken.None);

        var stderr = string.Join('\n', sandbox.Output.Stderr);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stderr:\n{stderr}");
        string[] expected =
            [
                // git: a smart-HTTP clone works only because the surrogate in the extra header arrived real.
                "clone=ok", $"content={content}", "clone_without_token=failed",
                // git: the port matches paths without their query (PATH-06), so ref discovery for a push is allowed,
                // but its POST to git-receive-pack is not: the upstream (where pushes are on) never saw one.
                "push=refused", "push_error=403", "upstream_unchanged=receive_pack_posts=0",
                // python3's urllib with the CA the sandbox set in the environment.
                "py_allowed=200 py-ok", "py_path_blocked=403 blocked_by_network_allowlist", "py_host_blocked=403 blocked_by_network_allowlist",
                // SigV4: re-signed with the real key and token in scope; untouched (and so invalid upstream) outside it.
                "aws_scoped=200 akid=real sig=ok token=real payload=ok auth=changed",
                "aws_unscoped=200 akid=other sig=bad token=other payload=ok auth=unchanged",
            ];
        Assert.True(
            expected.SequenceEqual(sandbox.Output.Stdout),
            $"stdout:\n{string.Join('\n', sandbox.Output.Stdout)}\nstderr:\n{stderr}\nnetwork log:\n{string.Join('\n', sandbox.Output.NetworkLog)}");

        var log = sandbox.Output.NetworkLog;
        Assert.Contains(log, l => l.StartsWith("BLOCKED POST https://git.test/repo.git/git-receive-pack -> 403", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("ALLOWED POST https://git.test/repo.git/git-upload-pack -> 200", StringComparison.Ordinal) && l.Contains("[masked: 1]", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("BLOCKED GET https://py.test/forbidden -> 403", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("ALLOWED PUT https://s3.scoped.test/bucket/key.txt -> 200", StringComparison.Ordinal) && l.Contains("[region: us-east-1]", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("ALLOWED PUT https://unscoped.test/bucket/key.txt -> 200", StringComparison.Ordinal) && !l.Contains("[masked", StringComparison.Ordinal));
        var everything = string.Join('\n', sandbox.Output.Stdout.Concat(sandbox.Output.Stderr).Concat(log));
        foreach (var secret in real.All)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        await sandbox.AssertNothingLeftAsync();
    }

    private static async Task WriteWorkspaceAsync(SandboxUnderTest sandbox, ClientsUpstream upstream, ClientCredentials real)
    {
        var clients = Directory.CreateDirectory(Path.Combine(sandbox.Workspace, "clients")).FullName;
        foreach (var script in new[] { "check.py", "sigv4.py" })
        {
            File.Copy(Path.Combine(ClientsUpstream.ScriptDirectory, script), Path.Combine(clients, script));
        }

        var airut = Path.Combine(sandbox.Workspace, ".airut");
        await File.WriteAllTextAsync(Path.Combine(airut, "upstream-ca.pem"), upstream.CaCertificatePem);
        await File.WriteAllTextAsync(Path.Combine(airut, "network-allowlist.yaml"), Allowlist);
        var hosts = string.Concat(ClientsUpstream.HostNames.Select(h => $"  {h}: {upstream.Address}\n"));
        await File.WriteAllTextAsync(
            Path.Combine(airut, "sandbox.yaml"),
            $"egress_network: {sandbox.EgressNetwork}\n" +
            $"upstream_hosts:\n{hosts}" +
            "upstream_hosts_only: true\n" +
            "upstream_ca_bundle: .airut/upstream-ca.pem\n" +
            $"masked_secrets:\n  GIT_TOKEN:\n    value: \"{real.GitToken}\"\n    scopes: [\"git.test\"]\n    headers: [\"Authorization\"]\n" +
            "signing_credentials:\n  aws:\n    type: aws-sigv4\n" +
            $"    access_key_id: \"{real.AwsAccessKeyId}\"\n    secret_access_key: \"{real.AwsSecretAccessKey}\"\n" +
            $"    session_token: \"{real.AwsSessionToken}\"\n    scopes: [\"s3.scoped.test\"]\n");
    }
}
