using System.Net;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Docker.Tests.Runtime;

/// <summary>
/// A <see cref="DockerRuntime"/> on the real daemon plus everything a test creates with it, all removed on dispose
/// (containers first, then networks and images), whether the test passed or not.
/// </summary>
public sealed class DockerTestEnvironment : IAsyncLifetime
{
    /// <summary>The offline base image every test builds on (see shared/ENGINE-SETUP.md).</summary>
    public const string BaseImage = "localhost/airut/debian:bookworm";

    /// <summary>The offline image with curl, python3, dig, nc and iproute2.</summary>
    public const string ClientImage = "localhost/airut/client:bookworm";

    private readonly List<string> _containers = [];
    private readonly List<string> _networks = [];
    private readonly List<string> _images = [];

    public DockerTestEnvironment()
    {
        ResolvConfDirectory = Directory.CreateTempSubdirectory("airut-docker-resolv-").FullName;
        Runtime = new DockerRuntime(new DockerRuntimeOptions { ResolvConfDirectory = ResolvConfDirectory });
        RunId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..5]);
        Labels = new Dictionary<string, string> { ["airut.test.run"] = RunId };
    }

    public DockerRuntime Runtime { get; }

    public string RunId { get; }

    public string ResolvConfDirectory { get; }

    /// <summary>Labels that mark everything this environment created.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>A name unique to this test run.</summary>
    public string Name(string what) => $"airut-dkt-{what}-{RunId}";

    public static CancellationToken Timeout(int seconds = 120) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Creates a network on a free 10.231.x.0/24 subnet and returns its name and subnet octet.</summary>
    public async Task<(string Name, int Octet)> CreateNetworkAsync(string what, bool isolate = true, bool @internal = true)
    {
        var name = Name(what);
        _networks.Add(name);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var octet = Random.Shared.Next(1, 255);
            try
            {
                await Runtime.CreateNetworkAsync(new NetworkSpec(name, $"10.231.{octet}.0/24", @internal, isolate, Labels), Timeout());
                return (name, octet);
            }
            catch (SandboxInfrastructureException ex) when (ex.Message.Contains("already in use", StringComparison.Ordinal))
            {
            }
        }

        throw new InvalidOperationException("no free test subnet");
    }

    /// <summary>Creates a container (tracked for removal) and returns its id.</summary>
    public async Task<string> CreateContainerAsync(ContainerSpec spec)
    {
        _containers.Add(spec.Name);
        return await Runtime.CreateContainerAsync(spec with { Labels = new Dictionary<string, string>(Labels.Concat(spec.Labels)) }, Timeout());
    }

    public void TrackImage(string tag) => _images.Add(tag);

    /// <summary>Creates, runs attached and collects the output of a client-image container.</summary>
    public async Task<(ContainerExit Exit, string Stdout, string Stderr)> RunAsync(string what, string script, Func<ContainerSpec, ContainerSpec>? customise = null)
    {
        var spec = new ContainerSpec { Name = Name(what), Image = ClientImage, Command = ["sh", "-c", script] };
        var id = await CreateContainerAsync(customise is null ? spec : customise(spec));
        var sink = new TextSink();
        var exit = await Runtime.RunAttachedAsync(id, sink, Timeout());
        return (exit, sink.Stdout, sink.Stderr);
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var container in _containers)
        {
            await Runtime.RemoveContainerAsync(container, cts.Token);
        }

        foreach (var network in _networks)
        {
            await Runtime.RemoveNetworkAsync(network, cts.Token);
        }

        foreach (var image in _images)
        {
            await Runtime.RemoveImageAsync(image, cts.Token);
        }

        Runtime.Dispose();
        Directory.Delete(ResolvConfDirectory, recursive: true);
    }

    /// <summary>Collects output as text, keeping stdout and stderr apart.</summary>
    public sealed class TextSink : IContainerOutputSink
    {
        private readonly MemoryStream _stdout = new();
        private readonly MemoryStream _stderr = new();

        public string Stdout => Encoding.UTF8.GetString(_stdout.ToArray());

        public string Stderr => Encoding.UTF8.GetString(_stderr.ToArray());

        public ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            _stdout.Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            _stderr.Write(data.Span);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The address of the given host in a 10.231.x.0/24 test subnet.</summary>
    public static IPAddress Address(int octet, int host) => IPAddress.Parse($"10.231.{octet}.{host}");
}
