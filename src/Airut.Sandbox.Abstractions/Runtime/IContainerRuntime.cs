namespace Airut.Sandbox.Abstractions.Runtime;

/// <summary>
/// A container engine (Docker, Podman). Every operation has the same meaning on every backend.
/// Removal operations are idempotent: removing what does not exist succeeds.
/// Failures throw <see cref="Errors.SandboxInfrastructureException"/> with the engine's message.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>Short engine name: <c>podman</c> or <c>docker</c>.</summary>
    string Name { get; }

    /// <summary>Checks that the engine answers; throws with how to start it when it does not.</summary>
    Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>Builds an image from a context directory.</summary>
    Task BuildImageAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>Returns the image, or null when there is no such image.</summary>
    Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Removes an image.</summary>
    Task RemoveImageAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Writes the images to one tar archive (docker-archive format).</summary>
    Task SaveImagesAsync(IReadOnlyList<string> references, string archivePath, CancellationToken cancellationToken);

    /// <summary>Loads images from an archive written by <see cref="SaveImagesAsync"/>.</summary>
    Task LoadImagesAsync(string archivePath, CancellationToken cancellationToken);

    /// <summary>Creates a network.</summary>
    Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken);

    /// <summary>Returns the network, or null when there is none.</summary>
    Task<NetworkInfo?> InspectNetworkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Removes a network (and whatever the backend added for it, such as firewall rules).</summary>
    Task RemoveNetworkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lists networks carrying all the given labels.</summary>
    Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Creates a container (attached to every network in the spec) without starting it; returns its id.</summary>
    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts a created container in the background.</summary>
    Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a created container and streams its stdout/stderr to <paramref name="output"/> as it comes,
    /// until the container exits. No output is lost between start and attach.
    /// </summary>
    Task<ContainerExit> RunAttachedAsync(string nameOrId, IContainerOutputSink output, CancellationToken cancellationToken);

    /// <summary>Waits until the container exits.</summary>
    Task<ContainerExit> WaitContainerAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>Returns what the container has printed so far.</summary>
    Task<ContainerLogs> GetLogsAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>Returns the container, or null when there is none.</summary>
    Task<ContainerInfo?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>Sends a signal (default KILL) to a running container; a stopped or missing container is not an error.</summary>
    Task KillContainerAsync(string nameOrId, string signal, CancellationToken cancellationToken);

    /// <summary>Removes a container, killing it first if it runs.</summary>
    Task RemoveContainerAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>Lists containers (running or not) carrying all the given labels.</summary>
    Task<IReadOnlyList<ContainerInfo>> ListContainersAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);
}
