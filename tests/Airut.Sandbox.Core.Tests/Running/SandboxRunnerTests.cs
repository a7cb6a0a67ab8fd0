using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Tests.Running;

/// <summary>The runner's orchestration over an in-memory engine: what it creates, in which order, and that it always cleans up.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SandboxRunnerTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-test-").FullName;
    private readonly InMemoryContainerRuntime _runtime = new();
    private readonly RecordingOutput _output = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ServiceProvider _provider;

    public SandboxRunnerTests()
    {
        Directory.CreateDirectory(Path.Combine(Workspace, ".airut", "container"));
        File.WriteAllText(Path.Combine(Workspace, ".airut", "container", "Dockerfile"), "FROM localhost/airut/client:bookworm\n");
        Directory.CreateDirectory(ProgramDirectory);
        File.WriteAllText(Path.Combine(ProgramDirectory, "airut-proxy"), "program");

        var services = new ServiceCollection();
        services.AddAirutSandbox(o =>
        {
            o.RunDirectoryRoot = RunRoot;
            o.ProxyProgramDirectory = ProgramDirectory;
            o.ProxyReadyTimeout = TimeSpan.FromMilliseconds(300);
            o.StopGracePeriod = TimeSpan.FromMilliseconds(200);
        });
        services.AddSingleton<IContainerRuntime>(_runtime);
        services.AddLogging(logging => logging.AddProvider(_logs));
        _provider = services.BuildServiceProvider();
    }

    private string Workspace => Path.Combine(_scratch, "repo");

    private string RunRoot => Path.Combine(_scratch, "runs");

    private string ProgramDirectory => Path.Combine(_scratch, "proxy");

    private ISandboxRunner Runner => _provider.GetRequiredService<ISandboxRunner>();

    public void Dispose()
    {
        _provider.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    private void Config(string yaml) => File.WriteAllText(Path.Combine(Workspace, ".airut", "sandbox.yaml"), yaml);

    private SandboxRunRequest Request(params string[] command) => new() { Command = command, WorkspaceDirectory = Workspace };

    private void AssertNothingLeft()
    {
        Assert.Empty(_runtime.Containers);
        Assert.DoesNotContain(_runtime.Networks.Keys, n => n.Contains("-conv-", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(RunRoot));
    }

    private void StartReadyProxies()
    {
        // The proxy container writes its ready file as soon as it exists.
        _ = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                foreach (var spec in _runtime.Specs.Values.Where(s => s.Name.Contains("-proxy-", StringComparison.Ordinal) && _runtime.Containers.ContainsKey(s.Name)))
                {
                    var ready = spec.Mounts.Single(m => m.Target == ProxyContainerSpecFactory.ReadyFilePath).Source;
                    try
                    {
                        File.WriteAllText(ready, "http=10.199.1.100:80\n");
                    }
                    catch (IOException)
                    {
                        // Removed with its run directory meanwhile.
                    }
                }

                await Task.Delay(10);
            }
        });
    }

    [Fact]
    [Trait("Spec", "CFG-41")]
    public async Task CFG_41_without_the_network_sandbox_the_command_runs_on_the_default_network_with_surrogates_and_no_proxy()
    {
        Config("network_sandbox: false\nenv:\n  GREETING: hi\n");
        _runtime.OnRun = async (spec, sink, ct) =>
        {
            await sink.WriteStdoutAsync(Encoding.UTF8.GetBytes("hello\nno newline"), ct);
            return new ContainerExit(3, false);
        };

        var result = await Runner.RunAsync(Request("echo", "hello"), _output, CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(["hello", "no newline"], _output.Stdout);
        var client = Assert.Single(_runtime.Specs.Values);
        Assert.Empty(client.Networks);
        Assert.Contains(new KeyValuePair<string, string>("GREETING", "hi"), client.Environment);
        Assert.DoesNotContain(client.Environment, e => e.Key == "SSL_CERT_FILE");
        Assert.Equal(["echo", "hello"], client.Command);
        Assert.Single(_runtime.Builds);
        Assert.Null(result.NetworkLogPath);
        AssertNothingLeft();
    }

    [Fact]
    [Trait("Spec", "CFG-41")]
    public async Task CFG_41_credentials_with_the_network_sandbox_off_log_a_warning_and_the_container_gets_only_the_surrogate()
    {
        const string Real = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
        Config($"network_sandbox: false\nmasked_secrets:\n  GH_TOKEN:\n    value: \"{Real}\"\n    scopes: [\"api.github.com\"]\n    headers: [\"Authorization\"]\n");

        await Runner.RunAsync(Request("true"), _output, CancellationToken.None);

        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("network_sandbox is false", StringComparison.Ordinal));
        var token = Assert.Single(_runtime.Specs.Values.Single().Environment, e => e.Key == "GH_TOKEN");
        Assert.StartsWith("ghp_", token.Value, StringComparison.Ordinal);
        Assert.Equal(Real.Length, token.Value.Length);
        Assert.False(token.Value == Real, "the container must get a surrogate, not the real value");
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Real, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "CFG-04")]
    public async Task CFG_04_a_dangerous_but_valid_setting_is_logged_as_a_warning_before_the_run_without_the_value()
    {
        const string Real = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
        Config($"network_sandbox: false\nmasked_secrets:\n  GH_TOKEN:\n    value: \"{Real}\"\n    scopes: [\"*\"]\n    headers: [\"Authorization\"]\n    allow_foreign_credentials: true\n");

        await Runner.RunAsync(Request("true"), _output, CancellationToken.None);

        var warnings = _logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains("Configuration: masked_secrets.GH_TOKEN: scope '*' sends the real value to every allowed host", warnings);
        Assert.Contains(warnings, w => w.StartsWith("Configuration: masked_secrets.GH_TOKEN: allow_foreign_credentials is true", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Real, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "SEC-01")]
    public async Task SEC_01_real_secrets_are_only_in_the_0600_proxy_configuration_never_in_the_client_spec()
    {
        const string Real = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
        Config($"masked_secrets:\n  GH_TOKEN:\n    value: \"{Real}\"\n    scopes: [\"api.github.com\"]\n    headers: [\"Authorization\"]\n");
        StartReadyProxies();
        string? proxyConfiguration = null;
        UnixFileMode mode = default;
        _runtime.OnRun = (_, _, _) =>
        {
            var file = Directory.EnumerateFiles(RunRoot, "proxy.json", SearchOption.AllDirectories).Single();
            proxyConfiguration = File.ReadAllText(file);
            mode = File.GetUnixFileMode(file);
            return Task.FromResult(new ContainerExit(0, false));
        };

        await Runner.RunAsync(Request("true"), _output, CancellationToken.None);

        var client = _runtime.Specs.Values.Single(s => s.Name.Contains("-run-", StringComparison.Ordinal));
        var proxy = _runtime.Specs.Values.Single(s => s.Name.Contains("-proxy-", StringComparison.Ordinal));
        Assert.DoesNotContain(client.Environment, e => e.Value.Contains(Real, StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Environment, e => e.Value.Contains(Real, StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Command, a => a.Contains(Real, StringComparison.Ordinal));
        Assert.DoesNotContain(client.Mounts, m => m.Target.StartsWith("/etc/airut", StringComparison.Ordinal) || m.Source.EndsWith("ca.key", StringComparison.Ordinal));
        Assert.True(proxyConfiguration!.Contains(Real, StringComparison.Ordinal), "the proxy needs the real value");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        AssertNothingLeft();
    }

    [Fact]
    [Trait("Spec", "TOP-9")]
    public async Task TOP_9_with_the_network_sandbox_the_proxy_starts_ready_before_the_client_and_everything_is_removed_after()
    {
        StartReadyProxies();
        var result = await Runner.RunAsync(Request("true"), _output, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        var calls = _runtime.Calls.ToList();
        var proxyStart = calls.FindIndex(c => c.StartsWith("container start airut-cli-proxy-", StringComparison.Ordinal));
        var clientRun = calls.FindIndex(c => c.StartsWith("container run airut-cli-run-", StringComparison.Ordinal));
        Assert.InRange(proxyStart, 0, clientRun - 1);
        var proxy = _runtime.Specs.Values.Single(s => s.Name.Contains("-proxy-", StringComparison.Ordinal));
        var client = _runtime.Specs.Values.Single(s => s.Name.Contains("-run-", StringComparison.Ordinal));
        Assert.Equal("airut-cli-egress", proxy.Networks[0].Network);
        Assert.Equal(client.Networks.Single().Network, proxy.Networks[1].Network);
        Assert.Equal(proxy.Networks[1].IPv4Address, client.DnsServers.Single());
        Assert.Contains(client.Environment, e => e.Key == "SSL_CERT_FILE");
        Assert.Equal(2, _runtime.Builds.Count);
        Assert.Contains(_runtime.Builds, b => b.Tag.StartsWith("airut-cli-proxy:", StringComparison.Ordinal));
        Assert.True(_runtime.Networks.ContainsKey("airut-cli-egress"), "the shared egress network is kept for other runs");
        AssertNothingLeft();
    }

    [Fact]
    [Trait("Spec", "SEC-29")]
    public async Task SEC_29_a_proxy_that_never_gets_ready_fails_the_run_with_its_logs_and_leaks_nothing()
    {
        _ = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                foreach (var name in _runtime.Containers.Keys.Where(n => n.Contains("-proxy-", StringComparison.Ordinal)))
                {
                    _runtime.Logs[name] = new ContainerLogs("starting\n", "bind failed on :443\n");
                }

                await Task.Delay(10);
            }
        });

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Runner.RunAsync(Request("true"), _output, CancellationToken.None));

        Assert.Contains("not ready after", error.Message, StringComparison.Ordinal);
        Assert.Contains("bind failed on :443", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_runtime.Calls, c => c.StartsWith("container run", StringComparison.Ordinal));
        AssertNothingLeft();
        var octets = _provider.GetRequiredService<InternalNetworkAllocator>();
        Assert.Equal(254, Enumerable.Range(0, 254).Select(_ => octets.Allocate()).Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_a_proxy_that_dies_mid_run_stops_the_command_and_fails_the_run_as_infrastructure(bool removed)
    {
        StartReadyProxies();
        var running = new TaskCompletionSource();
        var proxyDies = new TaskCompletionSource();
        _runtime.OnRun = async (_, _, ct) =>
        {
            running.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new ContainerExit(0, false);
        };
        _runtime.OnWait = async (name, ct) =>
        {
            if (!name.Contains("-proxy-", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            await proxyDies.Task.WaitAsync(ct);
            // A killed proxy reports its exit; a removed one makes the engine's wait fail.
            return removed ? throw new SandboxInfrastructureException($"no such container {name}") : new ContainerExit(137, false);
        };

        var run = Runner.RunAsync(Request("sh", "-c", "while :; do curl https://allowed.test; done"), _output, CancellationToken.None);
        await running.Task;
        proxyDies.SetResult();

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => run);
        Assert.Contains("proxy container airut-cli-proxy-", error.Message, StringComparison.Ordinal);
        Assert.Contains("stopped during the run", error.Message, StringComparison.Ordinal);
        Assert.Contains(_runtime.Calls, c => c.StartsWith("container kill airut-cli-run-", StringComparison.Ordinal) && c.EndsWith(" KILL", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("stopped during the run", StringComparison.Ordinal));
        AssertNothingLeft();
    }

    [Fact]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_a_run_whose_proxy_stays_up_returns_the_command_exit_code_and_stops_watching_the_proxy()
    {
        StartReadyProxies();
        var watching = 0;
        var watched = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var watchStarted = new TaskCompletionSource();
        _runtime.OnRun = async (_, _, _) =>
        {
            await watchStarted.Task;
            return new ContainerExit(7, false);
        };
        _runtime.OnWait = async (name, ct) =>
        {
            watched.Enqueue(name);
            Interlocked.Increment(ref watching);
            watchStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                Interlocked.Decrement(ref watching);
            }

            return new ContainerExit(0, false);
        };

        var result = await Runner.RunAsync(Request("false"), _output, CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        // One wait while the proxy starts (readiness), one for the whole execution; both ended with the run.
        Assert.Equal(2, watched.Count);
        Assert.All(watched, name => Assert.StartsWith("airut-cli-proxy-", name, StringComparison.Ordinal));
        Assert.Equal(0, Volatile.Read(ref watching));
        Assert.DoesNotContain(_runtime.Calls, c => c.StartsWith("container kill", StringComparison.Ordinal));
        AssertNothingLeft();
    }

    [Fact]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_a_run_directory_that_cannot_be_written_is_an_infrastructure_error_and_nothing_starts()
    {
        Config("network_sandbox: false\n");
        File.WriteAllText(RunRoot, "a file where the run directory root should be");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Runner.RunAsync(Request("true"), _output, CancellationToken.None));

        Assert.StartsWith("Could not write the run's host files: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(RunRoot, error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    [Trait("Spec", "RES-02")]
    public async Task An_OOM_kill_gives_137_and_says_so()
    {
        Config("network_sandbox: false\n");
        _runtime.OnRun = (_, _, _) => Task.FromResult(new ContainerExit(137, OomKilled: true));

        var result = await Runner.RunAsync(Request("eat-memory"), _output, CancellationToken.None);

        Assert.Equal(137, result.ExitCode);
        Assert.True(result.OomKilled);
        AssertNothingLeft();
    }

    [Fact]
    [Trait("Spec", "CLI-61")]
    public async Task CLI_61_cancellation_stops_the_command_with_TERM_then_KILL_and_still_cleans_up()
    {
        Config("network_sandbox: false\n");
        var running = new TaskCompletionSource();
        _runtime.OnRun = async (_, _, ct) =>
        {
            running.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new ContainerExit(0, false);
        };
        using var cancel = new CancellationTokenSource();

        var run = Runner.RunAsync(Request("sleep", "infinity"), _output, cancel.Token);
        await running.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var kills = _runtime.Calls.Where(c => c.StartsWith("container kill", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, kills.Count);
        Assert.EndsWith(" TERM", kills[0], StringComparison.Ordinal);
        Assert.EndsWith(" KILL", kills[1], StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    [Trait("Spec", "CLI-40")]
    public async Task CLI_40_an_empty_command_or_a_timeout_under_10s_is_a_configuration_error_before_anything_starts()
    {
        await Assert.ThrowsAsync<SandboxConfigurationException>(() => Runner.RunAsync(Request(), _output, CancellationToken.None));
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => Runner.RunAsync(Request("true") with { Timeout = TimeSpan.FromSeconds(5) }, _output, CancellationToken.None));
        Assert.Contains("Timeout must be >= 10s", error.Message, StringComparison.Ordinal);
        Assert.Empty(_runtime.Calls);
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public async Task RES_03_a_disk_limit_on_a_workspace_that_is_not_its_own_filesystem_is_refused_before_the_engine_is_touched()
    {
        Config("resource_limits:\n  disk: 1g\n");

        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => Runner.RunAsync(Request("true"), _output, CancellationToken.None));

        Assert.Equal("resource_limits.disk", error.Key);
        Assert.Contains($"the workspace {Workspace} is not a filesystem of its own", error.Message, StringComparison.Ordinal);
        Assert.Empty(_runtime.Calls);
    }

    [Fact]
    [Trait("Spec", "SEC-14")]
    public async Task SEC_14_a_named_egress_network_that_does_not_exist_fails_and_is_never_created()
    {
        Config("egress_network: users-net\n");
        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Runner.RunAsync(Request("true"), _output, CancellationToken.None));
        Assert.Contains("users-net", error.Message, StringComparison.Ordinal);
        Assert.False(_runtime.Networks.ContainsKey("users-net"));
        AssertNothingLeft();
    }

    private sealed class RecordingOutput : ISandboxOutput
    {
        public List<string> Stdout { get; } = [];

        public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken)
        {
            Stdout.Add(line);
            return ValueTask.CompletedTask;
        }

        public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
