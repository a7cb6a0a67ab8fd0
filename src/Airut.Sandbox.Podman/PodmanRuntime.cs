using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Podman.Json;
using Airut.Sandbox.Podman.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Podman;

/// <summary>
/// <see cref="IContainerRuntime"/> over the podman CLI (rootful podman 4.x with netavark). Every call runs
/// podman with an argument array and reads <c>--format json</c> output.
/// </summary>
public sealed partial class PodmanRuntime : IContainerRuntime
{
    /// <summary>How many times a build that lost a race with an image removed at the same moment is tried in all.</summary>
    public const int ImageRaceAttempts = 5;

    private readonly PodmanRuntimeOptions _options;
    private readonly ProcessRunner _podman;
    private readonly ProcessRunner _ip;
    private readonly BridgeFirewall _firewall;
    private readonly KernelOomLog _oomLog;
    private readonly ILogger<PodmanRuntime> _logger;

    /// <summary>Creates the runtime.</summary>
    public PodmanRuntime(PodmanRuntimeOptions options, ILogger<PodmanRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger<PodmanRuntime>.Instance;
        _podman = new ProcessRunner(options.PodmanPath, options.MaxCapturedOutputBytes, _logger);
        _ip = new ProcessRunner(options.IpPath, 1024 * 1024, _logger);
        _firewall = new BridgeFirewall(options, _logger);
        _oomLog = new KernelOomLog(new ProcessRunner(options.DmesgPath, options.MaxCapturedOutputBytes, _logger));
    }

    /// <inheritdoc />
    public string Name => "podman";

    /// <inheritdoc />
    public async Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await _podman.RunAsync(PodmanCommandLine.Info(), cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxInfrastructureException ex)
        {
            throw new SandboxInfrastructureException(
                $"podman is not available at '{_options.PodmanPath}': install it (apt-get install podman) or set {nameof(PodmanRuntimeOptions.PodmanPath)}.", ex);
        }

        if (!result.Succeeded)
        {
            // Installed but not answering: most often a remote connection (CONTAINER_HOST, --url) whose service is down.
            throw new SandboxInfrastructureException(
                $"podman at '{_options.PodmanPath}' does not answer (podman info exit {result.ExitCode}): {result.Stderr.ToString().Trim()} " +
                "Start it: with CONTAINER_HOST set, run `podman system service --time=0 <that address>` or unset CONTAINER_HOST; " +
                "otherwise check that `podman info` works for this user.");
        }

        var info = Parse(result, PodmanJsonContext.Default.PodmanInfoJson, "podman info");
        return new RuntimeInfo(Name, info.Version?.Version ?? "unknown", info.Version?.ApiVersion);
    }

    /// <inheritdoc />
    /// <remarks>
    /// podman's image store is shared with every other user of the engine, and a build that reuses cached layers loses
    /// them when an image is removed at the same moment (podman 4: "layer not known", "container not known", a cached
    /// image ID taken for a name). Such a build is run again, up to <see cref="ImageRaceAttempts"/> times in all; any
    /// other failure is reported at once.
    /// </remarks>
    public async Task BuildImageAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (exitCode, stderr) = await BuildOnceAsync(request, progress, cancellationToken).ConfigureAwait(false);
            if (exitCode == 0)
            {
                return;
            }

            if (attempt < ImageRaceAttempts && LostStorageRace(stderr))
            {
                LogBuildRetried(request.Tag, attempt, stderr);
                continue;
            }

            throw new SandboxInfrastructureException($"podman build of {request.Tag} failed (exit {exitCode}): {stderr}");
        }
    }

    private async Task<(int ExitCode, string Stderr)> BuildOnceAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.BuildImage(request);
        var lines = new LineSplitter(line => progress?.Report(line));
        var errors = new LineSplitter(line => progress?.Report(line));
        var stderrTail = new BoundedOutputBuffer(ProcessRunner.StderrLimit);
        var exitCode = await _podman.RunStreamingAsync(
            args,
            (data, _) =>
            {
                lines.Append(data.Span);
                return ValueTask.CompletedTask;
            },
            (data, _) =>
            {
                stderrTail.Append(data.Span);
                errors.Append(data.Span);
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        lines.Flush();
        errors.Flush();
        return (exitCode, stderrTail.ToString().Trim());
    }

    /// <summary>The ways podman 4 reports a layer, image or build container removed under a running build.</summary>
    private static bool LostStorageRace(string stderr) =>
        stderr.Contains("layer not known", StringComparison.Ordinal)
        || stderr.Contains("container not known", StringComparison.Ordinal)
        || stderr.Contains("image not known", StringComparison.Ordinal)
        || stderr.Contains("identifier is not a container", StringComparison.Ordinal)
        || stderr.Contains("identifier is not an image", StringComparison.Ordinal)
        || stderr.Contains("cannot specify 64-byte hexadecimal strings", StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken cancellationToken)
    {
        var images = await InspectAsync(
            PodmanCommandLine.InspectImage(reference),
            PodmanCommandLine.ImageExists(reference),
            PodmanJsonContext.Default.ListPodmanImageJson,
            cancellationToken).ConfigureAwait(false);
        if (images is not [var image, ..])
        {
            return null;
        }

        return new ImageInfo(
            image.Id ?? string.Empty,
            image.RepoTags ?? [],
            image.Created,
            image.Labels ?? new Dictionary<string, string>());
    }

    /// <inheritdoc />
    /// <remarks>
    /// A build running elsewhere that reused this image's layers holds the image through its build container, and
    /// podman 4 then refuses the removal. When no container of the engine's own was created from the image, the
    /// reference is removed and the image goes when that build ends, as docker does when it drops one of several tags.
    /// </remarks>
    public async Task RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.RemoveImage(reference);
        var result = await _podman.RunAsync(args, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded
            && result.Stderr.ToString().Contains("image is in use by a container", StringComparison.Ordinal)
            && !await HasContainersFromAsync(reference, cancellationToken).ConfigureAwait(false))
        {
            var untag = await _podman.RunAsync(PodmanCommandLine.Untag(reference), cancellationToken).ConfigureAwait(false);
            if (untag.Succeeded || untag.Stderr.ToString().Contains("image not known", StringComparison.Ordinal))
            {
                return;
            }
        }

        EnsureSucceeded(result, args);
    }

    private async Task<bool> HasContainersFromAsync(string reference, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.ContainersFrom(reference);
        var result = await _podman.RunAsync(args, cancellationToken).ConfigureAwait(false);
        EnsureSucceeded(result, args);
        return result.Stdout.ToString().Trim().Length > 0;
    }

    /// <inheritdoc />
    public Task SaveImagesAsync(IReadOnlyList<string> references, string archivePath, CancellationToken cancellationToken) =>
        RunCheckedAsync(PodmanCommandLine.SaveImages(references, archivePath), cancellationToken);

    /// <inheritdoc />
    public Task LoadImagesAsync(string archivePath, CancellationToken cancellationToken) =>
        RunCheckedAsync(PodmanCommandLine.LoadImages(archivePath), cancellationToken);

    /// <inheritdoc />
    public async Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.IsolateFromHost && !spec.Internal)
        {
            throw new ArgumentException(
                $"Network {spec.Name}: host isolation needs an internal network (a routed network reaches the host through its gateway).",
                nameof(spec));
        }

        await RunCheckedAsync(PodmanCommandLine.CreateNetwork(spec), cancellationToken).ConfigureAwait(false);
        try
        {
            var network = await InspectNetworkJsonAsync(spec.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new SandboxInfrastructureException($"Network {spec.Name} vanished right after it was created.");
            if (spec.Internal)
            {
                var bridge = RequireBridge(network);
                await _firewall.AddAsync(spec.Name, bridge, allowPeers: true, spec.IsolateFromHost, cancellationToken).ConfigureAwait(false);
                if (spec.IsolateFromHost)
                {
                    await VerifyHostIsolationAsync(network, bridge, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // Never leave a network behind that we could not protect; a failing cleanup must not hide why.
            try
            {
                await RemoveNetworkAsync(spec.Name, CancellationToken.None).ConfigureAwait(false);
            }
            catch (SandboxInfrastructureException cleanup)
            {
                LogCleanupFailed(cleanup, spec.Name);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async Task<NetworkInfo?> InspectNetworkAsync(string name, CancellationToken cancellationToken)
    {
        var network = await InspectNetworkJsonAsync(name, cancellationToken).ConfigureAwait(false);
        return network is null ? null : ToNetworkInfo(network);
    }

    /// <inheritdoc />
    public async Task RemoveNetworkAsync(string name, CancellationToken cancellationToken)
    {
        await RunCheckedAsync(PodmanCommandLine.RemoveNetwork(name), cancellationToken).ConfigureAwait(false);
        await _firewall.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.ListNetworks(labels);
        var result = await _podman.RunAsync(args, cancellationToken).ConfigureAwait(false);
        EnsureSucceeded(result, args);
        var networks = Parse(result, PodmanJsonContext.Default.ListPodmanNetworkJson, "podman network ls");

        // The engine filters too; checking again here keeps "all labels must match" true whatever the engine does.
        return networks
            .Where(n => labels.All(l => n.Labels is not null && n.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Select(ToNetworkInfo)
            .ToList();
    }

    /// <inheritdoc />
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.CreateContainer(spec);
        var result = await _podman.RunAsync(args, cancellationToken).ConfigureAwait(false);
        EnsureSucceeded(result, args);
        return result.Stdout.ToString().Trim();
    }

    /// <inheritdoc />
    public Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
        RunCheckedAsync(PodmanCommandLine.StartContainer(nameOrId), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Cancelling kills the attached podman client, not the container: it keeps running until the caller kills
    /// or removes it (as with a SIGKILLed <c>podman start --attach</c>, CLI-62).
    /// </remarks>
    public async Task<ContainerExit> RunAttachedAsync(string nameOrId, IContainerOutputSink output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);

        // `start --attach` attaches before it starts the container, so no early output is lost; without a TTY
        // podman keeps the container's stdout and stderr on its own stdout and stderr.
        var stderrTail = new BoundedOutputBuffer(ProcessRunner.StderrLimit);
        await _podman.RunStreamingAsync(
            PodmanCommandLine.StartAttached(nameOrId),
            output.WriteStdoutAsync,
            (data, ct) =>
            {
                stderrTail.Append(data.Span);
                return output.WriteStderrAsync(data, ct);
            },
            cancellationToken).ConfigureAwait(false);

        // podman's own exit code mixes its errors (125) with the container's; the container's state is the truth.
        var container = await InspectContainerJsonAsync(nameOrId, cancellationToken).ConfigureAwait(false)
            ?? throw new SandboxInfrastructureException($"Container {nameOrId} disappeared while attached: {stderrTail.ToString().Trim()}");
        if (!HasRun(container))
        {
            throw new SandboxInfrastructureException(
                $"Container {nameOrId} did not start ({container.State?.Status}): {stderrTail.ToString().Trim()}");
        }

        return await WaitContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ContainerExit> WaitContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        await RunCheckedAsync(PodmanCommandLine.WaitContainer(nameOrId), cancellationToken).ConfigureAwait(false);
        var container = await InspectContainerJsonAsync(nameOrId, cancellationToken).ConfigureAwait(false)
            ?? throw new SandboxInfrastructureException($"Container {nameOrId} disappeared before its exit code was read.");
        return new ContainerExit(container.State?.ExitCode ?? -1, container.State?.OomKilled ?? false);
    }

    /// <summary>Fills in an OOM kill podman did not notice (see <see cref="KernelOomLog"/>).</summary>
    private async Task<PodmanContainerJson?> WithKernelOomAsync(PodmanContainerJson? container, CancellationToken cancellationToken)
    {
        if (container?.State is { OomKilled: false, Running: false } state
            && HasRun(container)
            && container.HostConfig?.Memory > 0
            && state.ExitCode != 0
            && container.Id is { } id)
        {
            state.OomKilled = await _oomLog.HasOomKillAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return container;
    }

    /// <inheritdoc />
    public async Task<ContainerLogs> GetLogsAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.Logs(nameOrId);
        var stdout = new BoundedOutputBuffer(_options.MaxCapturedOutputBytes);
        var stderr = new BoundedOutputBuffer(_options.MaxCapturedOutputBytes);
        var exitCode = await _podman.RunStreamingAsync(
            args,
            (data, _) =>
            {
                stdout.Append(data.Span);
                return ValueTask.CompletedTask;
            },
            (data, _) =>
            {
                stderr.Append(data.Span);
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new SandboxInfrastructureException($"podman logs {nameOrId} failed (exit {exitCode}): {stderr.ToString().Trim()}");
        }

        return new ContainerLogs(stdout.ToString(), stderr.ToString());
    }

    /// <inheritdoc />
    public async Task<ContainerInfo?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var container = await InspectContainerJsonAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        return container is null ? null : ToContainerInfo(container);
    }

    /// <inheritdoc />
    public async Task KillContainerAsync(string nameOrId, string signal, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.KillContainer(nameOrId, signal);
        var result = await _podman.RunAsync(args, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return;
        }

        var container = await InspectContainerJsonAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (container?.State?.Running == true)
        {
            EnsureSucceeded(result, args);
        }
    }

    /// <inheritdoc />
    public Task RemoveContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
        RunCheckedAsync(PodmanCommandLine.RemoveContainer(nameOrId), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerInfo>> ListContainersAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var args = PodmanCommandLine.ListContainerIds(labels);
        var result = await _podman.RunAsync(args, cancellationToken).ConfigureAwait(false);
        EnsureSucceeded(result, args);
        var containers = new List<ContainerInfo>();
        foreach (var id in result.Stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // A container removed between the listing and now is simply no longer there.
            var info = await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            if (info is not null && labels.All(l => info.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            {
                containers.Add(info);
            }
        }

        return containers;
    }

    private async Task VerifyHostIsolationAsync(PodmanNetworkJson network, string bridge, CancellationToken cancellationToken)
    {
        var gateways = (network.Subnets ?? []).Where(s => !string.IsNullOrEmpty(s.Gateway)).Select(s => s.Gateway).ToList();
        if (!network.Internal || gateways.Count > 0)
        {
            throw new SandboxInfrastructureException(
                $"Network {network.Name} is not isolated from the host (internal={network.Internal}, gateways: {string.Join(", ", gateways)}).");
        }

        // netavark creates the bridge when the first container joins; if it exists already it must have no IPv4.
        var result = await _ip.RunAsync(["-j", "addr", "show"], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new SandboxInfrastructureException($"Cannot check bridge {bridge}: ip -j addr show failed: {result.Stderr.ToString().Trim()}");
        }

        var links = Parse(result, PodmanJsonContext.Default.ListIpLinkJson, "ip -j addr show");
        var addresses = links.Where(l => l.Name == bridge)
            .SelectMany(l => l.Addresses ?? [])
            .Where(a => a.Family == "inet")
            .Select(a => a.Local)
            .ToList();
        if (addresses.Count > 0)
        {
            throw new SandboxInfrastructureException(
                $"Bridge {bridge} of network {network.Name} has host address(es) {string.Join(", ", addresses)}; containers could reach the host.");
        }

        LogIsolated(network.Name ?? string.Empty, bridge);
    }

    private static string RequireBridge(PodmanNetworkJson network) =>
        string.IsNullOrEmpty(network.NetworkInterface)
            ? throw new SandboxInfrastructureException($"podman reports no bridge interface for network {network.Name}.")
            : network.NetworkInterface;

    private Task<PodmanNetworkJson?> InspectNetworkJsonAsync(string name, CancellationToken cancellationToken) =>
        InspectSingleAsync(
            PodmanCommandLine.InspectNetwork(name),
            PodmanCommandLine.NetworkExists(name),
            PodmanJsonContext.Default.ListPodmanNetworkJson,
            cancellationToken);

    private async Task<PodmanContainerJson?> InspectContainerJsonAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var container = await InspectSingleAsync(
            PodmanCommandLine.InspectContainer(nameOrId),
            PodmanCommandLine.ContainerExists(nameOrId),
            PodmanJsonContext.Default.ListPodmanContainerJson,
            cancellationToken).ConfigureAwait(false);
        return await WithKernelOomAsync(container, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> InspectSingleAsync<T>(
        IReadOnlyList<string> inspect, IReadOnlyList<string> exists, JsonTypeInfo<List<T>> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var items = await InspectAsync(inspect, exists, typeInfo, cancellationToken).ConfigureAwait(false);
        return items is [var item, ..] ? item : null;
    }

    /// <summary>Runs an inspect; null when the object does not exist (asked with <c>exists</c>, not guessed from the error text).</summary>
    private async Task<List<T>?> InspectAsync<T>(
        IReadOnlyList<string> inspect, IReadOnlyList<string> exists, JsonTypeInfo<List<T>> typeInfo, CancellationToken cancellationToken)
    {
        var result = await _podman.RunAsync(inspect, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var existence = await _podman.RunAsync(exists, cancellationToken).ConfigureAwait(false);
            if (existence.ExitCode == 1)
            {
                return null;
            }

            EnsureSucceeded(result, inspect);
        }

        return Parse(result, typeInfo, string.Join(' ', inspect.Take(2)));
    }

    private async Task RunCheckedAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var result = await _podman.RunAsync(args, cancellationToken).ConfigureAwait(false);
        EnsureSucceeded(result, args);
    }

    private static void EnsureSucceeded(ProcessResult result, IReadOnlyList<string> args)
    {
        if (!result.Succeeded)
        {
            // Only the subcommand is named: the full argv may carry environment values (secrets).
            throw new SandboxInfrastructureException(
                $"podman {Subcommand(args)} failed (exit {result.ExitCode}): {result.Stderr.ToString().Trim()}");
        }
    }

    private static string Subcommand(IReadOnlyList<string> args) =>
        string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2));

    private static T Parse<T>(ProcessResult result, JsonTypeInfo<T> typeInfo, string what)
    {
        if (result.Stdout.Truncated)
        {
            throw new SandboxInfrastructureException($"{what} printed more than {result.Stdout.Limit} bytes.");
        }

        try
        {
            return JsonSerializer.Deserialize(result.Stdout.ToArray(), typeInfo)
                ?? throw new SandboxInfrastructureException($"{what} printed null.");
        }
        catch (JsonException ex)
        {
            throw new SandboxInfrastructureException($"{what} printed output that is not the expected JSON: {ex.Message}", ex);
        }
    }

    private static bool HasRun(PodmanContainerJson container) =>
        container.State?.Status is not ("created" or "configured" or "initialized");

    private static NetworkInfo ToNetworkInfo(PodmanNetworkJson network)
    {
        var subnet = network.Subnets?.FirstOrDefault(s => s.Subnet is not null && !s.Subnet.Contains(':', StringComparison.Ordinal));
        return new NetworkInfo(
            network.Name ?? string.Empty,
            network.Id ?? string.Empty,
            subnet?.Subnet,
            string.IsNullOrEmpty(subnet?.Gateway) ? null : subnet.Gateway,
            network.Internal,
            network.Labels ?? new Dictionary<string, string>());
    }

    private static ContainerInfo ToContainerInfo(PodmanContainerJson container)
    {
        var addresses = new Dictionary<string, IPAddress>();
        foreach (var (network, endpoint) in container.NetworkSettings?.Networks ?? [])
        {
            if (IPAddress.TryParse(endpoint.IpAddress, out var address))
            {
                addresses[network] = address;
            }
        }

        return new ContainerInfo(
            container.Id ?? string.Empty,
            container.Name ?? string.Empty,
            container.ImageName ?? string.Empty,
            container.State?.Running ?? false,
            container.State is { } state && HasRun(container) && !state.Running ? state.ExitCode : null,
            container.State?.OomKilled ?? false,
            container.Config?.Labels ?? new Dictionary<string, string>(),
            addresses);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "podman build of {Tag} lost a race with an image removed at the same time (attempt {Attempt}), building again: {Error}")]
    private partial void LogBuildRetried(string tag, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not remove network {Network} after a failed creation")]
    private partial void LogCleanupFailed(Exception exception, string network);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Network {Network} is isolated from the host (bridge {Bridge}: no IPv4 address, INPUT dropped)")]
    private partial void LogIsolated(string network, string bridge);
}
