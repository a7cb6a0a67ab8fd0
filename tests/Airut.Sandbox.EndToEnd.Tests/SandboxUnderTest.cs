using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Docker;
using Airut.Sandbox.Podman;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>One engine, a workspace whose proxy egress is a test-created internal network, and the runner from DI.</summary>
internal sealed class SandboxUnderTest : IAsyncDisposable
{
    public const string ClientImage = "localhost/airut/client:bookworm";
    public const string ProxyBaseImage = "localhost/airut/debian:bookworm";

    private readonly ServiceProvider _provider;
    private readonly string _engine;
    private readonly string _prefix;
    private readonly string _egress;
    private readonly string _runs;

    private SandboxUnderTest(ServiceProvider provider, string engine, string prefix, string egress, string workspace, string runs)
    {
        _provider = provider;
        _engine = engine;
        _prefix = prefix;
        _egress = egress;
        _runs = runs;
        Workspace = workspace;
    }

    public string Workspace { get; }

    public string EgressNetwork => _egress;

    public RecordingOutput Output { get; } = new();

    public IContainerRuntime Runtime => _provider.GetRequiredService<IContainerRuntime>();

    public ISandboxRunner Runner => _provider.GetRequiredService<ISandboxRunner>();

    public static async Task<SandboxUnderTest> CreateAsync(
        string engine, string scratch, string suffix, string proxyDirectory, bool networkSandbox = true, string extraConfig = "",
        ILoggerProvider? logs = null, Action<SandboxOptions>? options = null, Xunit.Abstractions.ITestOutputHelper? output = null)
    {
        var prefix = $"airut-e2e-{suffix}";
        var egress = prefix + "-egress";
        var workspace = Path.Combine(scratch, "repo");
        var runs = Path.Combine(scratch, "runs");
        Directory.CreateDirectory(Path.Combine(workspace, ".airut", "container"));
        await File.WriteAllTextAsync(Path.Combine(workspace, ".airut", "container", "Dockerfile"), $"FROM {ClientImage}\nWORKDIR /workspace\n");
        // The proxy's egress side is a network this test creates --internal, and no upstream name resolves:
        // nothing can leave the machine.
        await File.WriteAllTextAsync(
            Path.Combine(workspace, ".airut", "sandbox.yaml"),
            (networkSandbox ? $"egress_network: {egress}\nupstream_hosts_only: true\n" : "network_sandbox: false\n") + extraConfig);

        var services = new ServiceCollection();
        var builder = services.AddAirutSandbox(o =>
        {
            o.ResourcePrefix = prefix;
            o.RunDirectoryRoot = runs;
            o.ProxyBaseImage = ProxyBaseImage;
            o.ProxyProgramDirectory = proxyDirectory;
            o.ProxyReadyTimeout = TimeSpan.FromSeconds(60);
            options?.Invoke(o);
        });
        _ = engine == "podman" ? builder.UsePodman() : builder.UseDocker();
        if (logs is not null)
        {
            services.AddLogging(logging => logging.AddProvider(logs));
        }

        if (output is not null)
        {
            services.AddLogging(logging => logging.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));
        }

        var sandbox = new SandboxUnderTest(services.BuildServiceProvider(), engine, prefix, egress, workspace, runs);
        await sandbox.Runtime.CreateNetworkAsync(
            new NetworkSpec(egress, null, Internal: true, IsolateFromHost: true, new Dictionary<string, string>()), CancellationToken.None);
        return sandbox;
    }

    /// <summary>Points the workspace at <paramref name="upstream"/>: its CA trusted for upstream TLS, its host the only
    /// allowlisted domain and mapped to its address (no other name resolves), plus <paramref name="extraSandboxYaml"/>.</summary>
    public async Task UseUpstreamAsync(UpstreamServer upstream, string extraSandboxYaml = "")
    {
        await File.WriteAllTextAsync(Path.Combine(Workspace, ".airut", "upstream-ca.pem"), upstream.CaCertificatePem);
        await File.WriteAllTextAsync(Path.Combine(Workspace, ".airut", "network-allowlist.yaml"), $"domains:\n  - {UpstreamServer.HostName}\n");
        await File.WriteAllTextAsync(
            Path.Combine(Workspace, ".airut", "sandbox.yaml"),
            $"egress_network: {EgressNetwork}\n" +
            $"upstream_hosts:\n  {UpstreamServer.HostName}: {upstream.Address}\n" +
            "upstream_hosts_only: true\n" +
            "upstream_ca_bundle: .airut/upstream-ca.pem\n" +
            extraSandboxYaml);
    }

    public async Task AssertNothingLeftAsync()
    {
        Assert.DoesNotContain(await Runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None), c => c.Name.StartsWith(_prefix, StringComparison.Ordinal));
        Assert.DoesNotContain(await Runtime.ListNetworksAsync(RunLabels.ManagedSelector, CancellationToken.None), n => n.Name.StartsWith(_prefix, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var container in await Runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None))
            {
                if (container.Name.StartsWith(_prefix, StringComparison.Ordinal))
                {
                    await Runtime.RemoveContainerAsync(container.Id, CancellationToken.None);
                }
            }

            foreach (var network in await Runtime.ListNetworksAsync(RunLabels.ManagedSelector, CancellationToken.None))
            {
                if (network.Name.StartsWith(_prefix, StringComparison.Ordinal))
                {
                    await Runtime.RemoveNetworkAsync(network.Name, CancellationToken.None);
                }
            }

            await Runtime.RemoveNetworkAsync(_egress, CancellationToken.None);
            foreach (var kind in new[] { "repo", "proxy" })
            {
                foreach (var image in await ImagesWithPrefixAsync(_engine, $"{_prefix}-{kind}"))
                {
                    await Runtime.RemoveImageAsync(image, CancellationToken.None);
                }
            }
        }
        finally
        {
            await _provider.DisposeAsync();
        }
    }

private static async Task<IEnumerable<string>> ImagesWithPrefixAsync(string engine, string repository)
{
    var result = await ExternalCommand.RunAsync(engine, ["images", "--format", "{{.Repository}}:{{.Tag}}"], TimeSpan.FromMinutes(1));
    return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(i => i.StartsWith(repository + ":", StringComparison.Ordinal) || i.StartsWith("localhost/" + repository + ":", StringComparison.Ordinal));
}
}
