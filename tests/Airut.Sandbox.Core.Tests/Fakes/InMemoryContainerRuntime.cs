using System.Collections.Concurrent;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Core.Tests.Fakes;

/// <summary>
/// An in-memory engine for unit tests of one class: it keeps images, networks and containers in dictionaries and
/// records every call. Behaviour a test needs to vary is exposed as delegates.
/// </summary>
internal sealed class InMemoryContainerRuntime : IContainerRuntime
{
    public ConcurrentDictionary<string, ImageInfo> Images { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, NetworkInfo> Networks { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, ContainerInfo> Containers { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<ImageBuildRequest> Builds { get; } = new();

    public Func<ImageBuildRequest, CancellationToken, Task>? OnBuild { get; set; }

    public Func<NetworkSpec, Exception?>? OnCreateNetwork { get; set; }

    public Exception? ListContainersError { get; set; }

    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public string Name => "memory";

    public Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new RuntimeInfo("memory", "1", null));

    public async Task BuildImageAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"build {request.Tag} no-cache={request.NoCache}");
        Builds.Enqueue(request);
        progress?.Report($"STEP 1/1: building {request.Tag}");
        if (OnBuild is not null)
        {
            await OnBuild(request, cancellationToken);
        }

        Images[request.Tag] = new ImageInfo("sha256:" + request.Tag, [request.Tag], Clock(), request.Labels);
    }

    public Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken cancellationToken) =>
        Task.FromResult(Images.TryGetValue(reference, out var image) ? image : null);

    public Task RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        Images.TryRemove(reference, out _);
        return Task.CompletedTask;
    }

    public Task SaveImagesAsync(IReadOnlyList<string> references, string archivePath, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task LoadImagesAsync(string archivePath, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"network create {spec.Name} {spec.Subnet}");
        if (OnCreateNetwork?.Invoke(spec) is { } error)
        {
            throw error;
        }

        if (!Networks.TryAdd(spec.Name, new NetworkInfo(spec.Name, spec.Name, spec.Subnet, null, spec.Internal, spec.Labels)))
        {
            throw new SandboxInfrastructureException($"network {spec.Name} already exists");
        }

        return Task.CompletedTask;
    }

    public Task<NetworkInfo?> InspectNetworkAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Networks.TryGetValue(name, out var network) ? network : null);

    public Task RemoveNetworkAsync(string name, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"network rm {name}");
        Networks.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NetworkInfo>>(Networks.Values.Where(n => HasLabels(n.Labels, labels)).ToList());

    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"container create {spec.Name}");
        Specs[spec.Name] = spec;
        Containers[spec.Name] = new ContainerInfo(spec.Name, spec.Name, spec.Image, false, null, false, spec.Labels, new Dictionary<string, System.Net.IPAddress>());
        return Task.FromResult(spec.Name);
    }

    public Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"container start {nameOrId}");
        Containers[nameOrId] = Containers[nameOrId] with { Running = true };
        return Task.CompletedTask;
    }

    public async Task<ContainerExit> RunAttachedAsync(string nameOrId, IContainerOutputSink output, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"container run {nameOrId}");
        return OnRun is null ? new ContainerExit(0, false) : await OnRun(Specs[nameOrId], output, cancellationToken);
    }

    public async Task<ContainerExit> WaitContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        if (OnWait is not null)
        {
            return await OnWait(nameOrId, cancellationToken);
        }

        // Returns once a test marks the container exited (not running, with an exit code) or removes it.
        while (Containers.TryGetValue(nameOrId, out var container) && (container.Running || container.ExitCode is null))
        {
            await Task.Delay(10, cancellationToken);
        }

        return new ContainerExit(Containers.TryGetValue(nameOrId, out var stopped) ? stopped.ExitCode ?? 0 : -1, false);
    }

    /// <summary>Replaces the default wait, e.g. to let a proxy die mid-run.</summary>
    public Func<string, CancellationToken, Task<ContainerExit>>? OnWait { get; set; }

    public Task<ContainerLogs> GetLogsAsync(string nameOrId, CancellationToken cancellationToken) =>
        Task.FromResult(Logs.TryGetValue(nameOrId, out var logs) ? logs : new ContainerLogs(string.Empty, string.Empty));

    public ConcurrentDictionary<string, ContainerSpec> Specs { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, ContainerLogs> Logs { get; } = new(StringComparer.Ordinal);

    public Func<ContainerSpec, IContainerOutputSink, CancellationToken, Task<ContainerExit>>? OnRun { get; set; }

    public Task<ContainerInfo?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
        Task.FromResult(Containers.TryGetValue(nameOrId, out var container) ? container : null);

    public Task KillContainerAsync(string nameOrId, string signal, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"container kill {nameOrId} {signal}");
        return Task.CompletedTask;
    }

    public Task RemoveContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"container rm {nameOrId}");
        Containers.TryRemove(nameOrId, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContainerInfo>> ListContainersAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        ListContainersError is not null
            ? Task.FromException<IReadOnlyList<ContainerInfo>>(ListContainersError)
            : Task.FromResult<IReadOnlyList<ContainerInfo>>(Containers.Values.Where(c => HasLabels(c.Labels, labels)).ToList());

    private static bool HasLabels(IReadOnlyDictionary<string, string> actual, IReadOnlyDictionary<string, string> wanted) =>
        wanted.All(w => actual.TryGetValue(w.Key, out var value) && value == w.Value);
}
