using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Tests.Running;

/// <summary>The proxy's debug mode from the runner's side (LOG-03): <see cref="SandboxOptions.ProxyLogLevel"/> becomes
/// <c>airut-proxy --log-level</c>, and the proxy's output is passed on to the runner's log before the container goes.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SandboxRunnerProxyLogTests : IDisposable
{
    private const string DebugLine = "dbug: Airut.Sandbox.Proxy.Http.ProxyRequestHandler[1] Egress decision GET https://api.test/: allowed";

    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-test-").FullName;

    public SandboxRunnerProxyLogTests()
    {
        Directory.CreateDirectory(Path.Combine(Workspace, ".airut", "container"));
        File.WriteAllText(Path.Combine(Workspace, ".airut", "container", "Dockerfile"), "FROM localhost/airut/client:bookworm\n");
        Directory.CreateDirectory(ProgramDirectory);
        File.WriteAllText(Path.Combine(ProgramDirectory, "airut-proxy"), "program");
    }

    private string Workspace => Path.Combine(_scratch, "repo");

    private string ProgramDirectory => Path.Combine(_scratch, "proxy");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    [Trait("Spec", "LOG-03")]
    public async Task LOG_03_a_proxy_log_level_is_passed_as_an_argument_and_the_proxy_output_reaches_the_runner_log()
    {
        var (command, entries) = await RunAsync(LogLevel.Debug);

        Assert.Equal(["--config", "/etc/airut/proxy.json", "--ready-file", "/run/airut/ready", "--log-level", "debug"], command);
        var passedOn = Assert.Single(entries, e => e.Message.Contains(DebugLine, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, passedOn.Level);
        Assert.Matches("^Proxy airut-cli-proxy-[0-9a-f]+ stdout: dbug: ", passedOn.Message);
        Assert.Contains(entries, e => e.Message.EndsWith("stderr: a stderr line", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "LOG-03")]
    public async Task LOG_03_by_default_the_proxy_runs_quiet_and_its_output_is_not_passed_on()
    {
        var (command, entries) = await RunAsync(null);

        Assert.Equal(["--config", "/etc/airut/proxy.json", "--ready-file", "/run/airut/ready"], command);
        Assert.DoesNotContain(entries, e => e.Message.Contains(DebugLine, StringComparison.Ordinal));
    }

    [Fact]
    public void A_level_outside_trace_to_critical_is_refused_by_the_validator()
    {
        var result = new SandboxOptionsValidator().Validate(null, new SandboxOptions { ProxyLogLevel = LogLevel.None });

        Assert.True(result.Failed);
        Assert.Contains(nameof(SandboxOptions.ProxyLogLevel), result.FailureMessage, StringComparison.Ordinal);
    }

    private async Task<(IReadOnlyList<string> Command, List<(LogLevel Level, string Message)> Entries)> RunAsync(LogLevel? level)
    {
        var runtime = new InMemoryContainerRuntime();
        using var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddAirutSandbox(o =>
        {
            o.RunDirectoryRoot = Path.Combine(_scratch, "runs");
            o.ProxyProgramDirectory = ProgramDirectory;
            o.ProxyReadyTimeout = TimeSpan.FromSeconds(30);
            o.ProxyLogLevel = level;
        });
        services.AddSingleton<IContainerRuntime>(runtime);
        services.AddLogging(logging => logging.AddProvider(logs));
        await using var provider = services.BuildServiceProvider();

        runtime.OnRun = (_, _, _) =>
        {
            var proxy = runtime.Specs.Values.Single(s => s.Name.Contains("-proxy-", StringComparison.Ordinal));
            runtime.Logs[proxy.Name] = new ContainerLogs($"airut-proxy ready http=10.199.1.100:80\n{DebugLine}\n", "a stderr line\n");
            return Task.FromResult(new ContainerExit(0, false));
        };
        using var ready = new CancellationTokenSource();
        var writer = WriteReadyFilesAsync(runtime, ready.Token);
        try
        {
            await provider.GetRequiredService<ISandboxRunner>().RunAsync(
                new SandboxRunRequest { Command = ["true"], WorkspaceDirectory = Workspace }, new DiscardingOutput(), CancellationToken.None);
        }
        finally
        {
            await ready.CancelAsync();
            await writer;
        }

        Assert.Empty(runtime.Containers);
        return (runtime.Specs.Values.Single(s => s.Name.Contains("-proxy-", StringComparison.Ordinal)).Command, [.. logs.Entries]);
    }

    // The proxy "writes" its ready file as soon as its container exists.
    private static async Task WriteReadyFilesAsync(InMemoryContainerRuntime runtime, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var spec in runtime.Specs.Values.Where(s => s.Name.Contains("-proxy-", StringComparison.Ordinal) && runtime.Containers.ContainsKey(s.Name)))
            {
                try
                {
                    await File.WriteAllTextAsync(spec.Mounts.Single(m => m.Target == ProxyContainerSpecFactory.ReadyFilePath).Source, "http=10.199.1.100:80\n", CancellationToken.None);
                }
                catch (IOException)
                {
                    // Removed with its run directory meanwhile.
                }
            }

            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed class DiscardingOutput : ISandboxOutput
    {
        public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
