using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox;

/// <summary>
/// An <see cref="IContainerRuntime"/> that selects the real runtime (<see cref="ContainerRuntimeSelector"/>) on its
/// first use and forwards every call to it. A failed selection is retried on the next call.
/// </summary>
public sealed class AutoSelectedContainerRuntime : IContainerRuntime, IDisposable
{
    private readonly ContainerRuntimeSelector _selector;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IContainerRuntime? _selected;

    /// <summary>Creates the runtime over a selector.</summary>
    public AutoSelectedContainerRuntime(ContainerRuntimeSelector selector)
    {
        _selector = selector;
    }

    /// <summary>The selected runtime's name, or <c>auto</c> before the first call.</summary>
    public string Name => _selected?.Name ?? "auto";

    /// <summary>Selects the runtime now (when not yet selected) and returns it.</summary>
    public async Task<IContainerRuntime> GetSelectedAsync(CancellationToken cancellationToken)
    {
        if (_selected is { } selected)
        {
            return selected;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _selected ??= await _selector.SelectAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).GetInfoAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task BuildImageAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).BuildImageAsync(request, progress, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).InspectImageAsync(reference, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task RemoveImageAsync(string reference, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).RemoveImageAsync(reference, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task SaveImagesAsync(IReadOnlyList<string> references, string archivePath, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).SaveImagesAsync(references, archivePath, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task LoadImagesAsync(string archivePath, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).LoadImagesAsync(archivePath, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).CreateNetworkAsync(spec, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<NetworkInfo?> InspectNetworkAsync(string name, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).InspectNetworkAsync(name, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task RemoveNetworkAsync(string name, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).RemoveNetworkAsync(name, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).ListNetworksAsync(labels, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).StartContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ContainerExit> RunAttachedAsync(string nameOrId, IContainerOutputSink output, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).RunAttachedAsync(nameOrId, output, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ContainerExit> WaitContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).WaitContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ContainerLogs> GetLogsAsync(string nameOrId, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).GetLogsAsync(nameOrId, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ContainerInfo?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).InspectContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task KillContainerAsync(string nameOrId, string signal, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).KillContainerAsync(nameOrId, signal, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task RemoveContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).RemoveContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerInfo>> ListContainersAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        await (await GetSelectedAsync(cancellationToken).ConfigureAwait(false)).ListContainersAsync(labels, cancellationToken).ConfigureAwait(false);

    /// <summary>Disposes the selected runtime when it is disposable.</summary>
    public void Dispose()
    {
        (_selected as IDisposable)?.Dispose();
        _gate.Dispose();
    }
}
