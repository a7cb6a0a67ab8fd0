using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Docker;
using Airut.Sandbox.Podman;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Airut.Sandbox.EndToEnd.Tests;

[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class SandboxRunEndToEndTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    private const string ClientImage = "localhost/airut/client:bookworm";
    private const string ProxyBaseImage = "localhost/airut/debian:bookworm";

    private readonly PublishedProxyFixture _proxy;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public SandboxRunEndToEndTests(PublishedProxyFixture proxy) => _proxy = proxy;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    public async Task Echo_hello_runs_in_the_client_image_behind_the_proxy_and_leaves_nothing_behind(string engine)
    {
        var prefix = "airut-e2e-" + _suffix;
        var egress = prefix + "-egress";
        var workspace = Path.Combine(_scratch, "repo");
        Directory.CreateDirectory(Path.Combine(workspace, ".airut", "container"));
        await File.WriteAllTextAsync(Path.Combine(workspace, ".airut", "container", "Dockerfile"), $"FROM {ClientImage}\nWORKDIR /workspace\n");
        // The proxy's egress side is a network this test creates --internal: nothing can leave the machine.
        await File.WriteAllTextAsync(Path.Combine(workspace, ".airut", "sandbox.yaml"), $"egress_network: {egress}\nupstream_hosts_only: true\n");

        var services = new ServiceCollection();
        var builder = services.AddAirutSandbox(o =>
        {
            o.ResourcePrefix = prefix;
            o.RunDirectoryRoot = Path.Combine(_scratch, "runs");
            o.ProxyBaseImage = ProxyBaseImage;
            o.ProxyProgramDirectory = _proxy.Directory;
            o.ProxyReadyTimeout = TimeSpan.FromSeconds(60);
        });
        _ = engine == "podman" ? builder.UsePodman() : builder.UseDocker();
        await using var provider = services.BuildServiceProvider();
        var runtime = provider.GetRequiredService<IContainerRuntime>();
        var runner = provider.GetRequiredService<ISandboxRunner>();
        var output = new RecordingOutput();
        var networkLog = Path.Combine(_scratch, "logs", "network.log");

        await runtime.CreateNetworkAsync(new NetworkSpec(egress, null, Internal: true, IsolateFromHost: true, new Dictionary<string, string>()), CancellationToken.None);
        try
        {
            var result = await runner.RunAsync(
                new SandboxRunRequest { Command = ["echo", "hello"], WorkspaceDirectory = workspace, NetworkLogPath = networkLog },
                output,
                CancellationToken.None);

            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stderr:\n{string.Join('\n', output.Stderr)}");
            Assert.Equal(["hello"], output.Stdout);
            Assert.Empty(output.Stderr);
            Assert.False(result.TimedOut);
            Assert.Equal(networkLog, result.NetworkLogPath);
            Assert.StartsWith("=== TASK START", await File.ReadAllTextAsync(networkLog), StringComparison.Ordinal);

            Assert.DoesNotContain(await runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None), c => c.Name.StartsWith(prefix, StringComparison.Ordinal));
            Assert.DoesNotContain(await runtime.ListNetworksAsync(RunLabels.ManagedSelector, CancellationToken.None), n => n.Name.StartsWith(prefix, StringComparison.Ordinal));
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_scratch, "runs")));
        }
        finally
        {
            await runtime.RemoveNetworkAsync(egress, CancellationToken.None);
            foreach (var kind in new[] { "repo", "proxy" })
            {
                foreach (var image in await ImagesWithPrefixAsync(engine, $"{prefix}-{kind}"))
                {
                    await runtime.RemoveImageAsync(image, CancellationToken.None);
                }
            }
        }
    }

    private static async Task<IEnumerable<string>> ImagesWithPrefixAsync(string engine, string repository)
    {
        var result = await ExternalCommand.RunAsync(engine, ["images", "--format", "{{.Repository}}:{{.Tag}}"], TimeSpan.FromMinutes(1));
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(i => i.StartsWith(repository + ":", StringComparison.Ordinal) || i.StartsWith("localhost/" + repository + ":", StringComparison.Ordinal));
    }

    private sealed class RecordingOutput : ISandboxOutput
    {
        public List<string> Stdout { get; } = [];

        public List<string> Stderr { get; } = [];

        public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken)
        {
            lock (Stdout)
            {
                Stdout.Add(line);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken)
        {
            lock (Stderr)
            {
                Stderr.Add(line);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
