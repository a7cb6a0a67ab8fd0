using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Docker.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Docker;

/// <summary>
/// <see cref="IContainerRuntime"/> over the Docker Engine API (unix socket, or plain TCP via <c>DOCKER_HOST</c>).
/// </summary>
/// <remarks>
/// DNS: on user-defined networks Docker writes <c>nameserver 127.0.0.11</c> (its embedded resolver) into every
/// container's resolv.conf, whatever <c>--dns</c> says. When a spec names <see cref="ContainerSpec.DnsServers"/>,
/// this backend writes its own resolv.conf naming exactly those servers and mounts it read-only over
/// <c>/etc/resolv.conf</c>, and also sets <c>HostConfig.Dns</c> to them. Ordinary lookups then go straight to
/// those servers; a process that queries 127.0.0.11 on purpose is relayed, from the container's own address,
/// to the same servers and nowhere else.
/// </remarks>
public sealed class DockerRuntime : IContainerRuntime, IDisposable
{
    /// <summary>How many times a build or an image removal that lost a race with another image removal is tried in all.</summary>
    public const int ImageRaceAttempts = 5;

    private const string IsolationOption = "com.docker.network.bridge.inhibit_ipv4";

    private readonly DockerEngineClient _client;
    private readonly DockerRuntimeOptions _options;
    private readonly ILogger<DockerRuntime> _logger;

    /// <summary>Creates the runtime; nothing is contacted until the first call.</summary>
    public DockerRuntime(DockerRuntimeOptions? options = null, ILogger<DockerRuntime>? logger = null)
    {
        _options = options ?? new DockerRuntimeOptions();
        _logger = logger ?? NullLogger<DockerRuntime>.Instance;
        _client = new DockerEngineClient(_options.Endpoint ?? DockerEndpoint.FromEnvironment(Environment.GetEnvironmentVariable));
    }

    /// <inheritdoc />
    public string Name => "docker";

    /// <summary>The daemon this runtime talks to.</summary>
    public DockerEndpoint Endpoint => _client.Endpoint;

    /// <inheritdoc />
    public async Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var version = await _client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var prefix = await _client.GetApiPrefixAsync(cancellationToken).ConfigureAwait(false);
        return new RuntimeInfo(Name, version.Version ?? "unknown", prefix.TrimStart('/', 'v'));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The engine's image store is shared with every other client, and a build that reuses cached layers fails when an
    /// image holding them is removed at the same moment ("failed to get digest ...: no such file or directory"). Such
    /// a build is run again, up to <see cref="ImageRaceAttempts"/> times in all; any other failure is reported at once.
    /// </remarks>
    public async Task BuildImageAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await BuildOnceAsync(request, progress, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SandboxInfrastructureException ex) when (attempt < ImageRaceAttempts && LostStorageRace(ex.Message))
            {
                DockerRuntimeLog.BuildRetried(_logger, request.Tag, attempt, ex.Message);
            }
        }
    }

    private async Task BuildOnceAsync(ImageBuildRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var archive = BuildContextArchive.Create(request.ContextDirectory, request.DockerfilePath);
        var query = new StringBuilder("/build?rm=1&forcerm=1")
            .Append("&t=").Append(Uri.EscapeDataString(request.Tag))
            .Append("&dockerfile=").Append(Uri.EscapeDataString(archive.DockerfileName));
        if (request.NoCache)
        {
            query.Append("&nocache=1");
        }

        if (request.Labels.Count > 0)
        {
            var labels = new Dictionary<string, string>(request.Labels);
            query.Append("&labels=").Append(Uri.EscapeDataString(
                System.Text.Json.JsonSerializer.Serialize(labels, DockerJsonContext.Default.DictionaryStringString)));
        }

        DockerRuntimeLog.BuildingImage(_logger, request.Tag, request.ContextDirectory);
        using var content = new BuildContextContent(archive);
        using var response = await _client.SendAsync(
            HttpMethod.Post, query.ToString(), content, $"build of {request.Tag}", cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await JsonMessageStream.ReadAsync(stream, $"build of {request.Tag}", progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// How the engine reports a cached layer image removed under a running build ("failed to get digest sha256:…",
    /// "unable to find image \"sha256:…\"", "No such image: sha256:…"): an error naming an image by its content ID.
    /// </summary>
    private static bool LostStorageRace(string message) => message.Contains("sha256:", StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var image = await _client.GetJsonOrDefaultAsync(
            $"/images/{DockerEngineClient.EscapeReference(reference)}/json", DockerJsonContext.Default.ImageInspectResponse, $"image inspect of {reference}", cancellationToken).ConfigureAwait(false);
        if (image is null)
        {
            return null;
        }

        var created = DateTimeOffset.TryParse(image.Created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        var tags = (image.RepoTags ?? []).Where(tag => tag != "<none>:<none>").ToList();
        return new ImageInfo(image.Id, tags, created, image.Config?.Labels ?? new Dictionary<string, string>());
    }

    /// <inheritdoc />
    /// <remarks>
    /// Removing an image also removes its untagged parents, which another removal at the same moment may already have
    /// taken ("unrecognized image ID"): the removal is judged by whether the reference still exists, and tried again
    /// while it does, up to <see cref="ImageRaceAttempts"/> times in all.
    /// </remarks>
    public async Task RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await _client.SendAsync(
                    HttpMethod.Delete, $"/images/{DockerEngineClient.EscapeReference(reference)}", null, $"image removal of {reference}", cancellationToken, tolerated: HttpStatusCode.NotFound).ConfigureAwait(false);
                return;
            }
            catch (SandboxInfrastructureException ex) when (ex.Message.Contains("unrecognized image ID", StringComparison.Ordinal))
            {
                if (await InspectImageAsync(reference, cancellationToken).ConfigureAwait(false) is null)
                {
                    return;
                }

                if (attempt == ImageRaceAttempts)
                {
                    throw;
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task SaveImagesAsync(IReadOnlyList<string> references, string archivePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        if (references.Count == 0)
        {
            throw new ArgumentException("At least one image reference is needed.", nameof(references));
        }

        var query = "/images/get?" + string.Join('&', references.Select(reference => "names=" + Uri.EscapeDataString(reference)));
        using var response = await _client.SendAsync(
            HttpMethod.Get, query, null, "image save", cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var partial = archivePath + ".partial";
        try
        {
            var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1024 * 1024, useAsync: true);
            await using (target.ConfigureAwait(false))
            {
                await response.Content.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }

            // The archive appears whole or not at all: a cut-off save must not pass for a cache entry.
            File.Move(partial, archivePath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <inheritdoc />
    public async Task LoadImagesAsync(string archivePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        var source = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, useAsync: true);
        await using (source.ConfigureAwait(false))
        {
            using var content = new StreamContent(source);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
            using var response = await _client.SendAsync(
                HttpMethod.Post, "/images/load?quiet=1", content, $"image load from {archivePath}", cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await JsonMessageStream.ReadAsync(stream, $"image load from {archivePath}", null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var body = new NetworkCreateRequest
        {
            Name = spec.Name,
            Internal = spec.Internal,
            Ipam = spec.Subnet is null ? null : new NetworkIpam { Driver = "default", Config = [new NetworkIpamPool { Subnet = spec.Subnet }] },

            // Without an address on the bridge the host has no foot on the network: nothing behind the
            // gateway address answers (NET-05), while containers on the network still reach each other.
            Options = spec.IsolateFromHost ? new Dictionary<string, string> { [IsolationOption] = "true" } : null,
            Labels = spec.Labels.Count > 0 ? spec.Labels : null,
        };

        DockerRuntimeLog.CreatingNetwork(_logger, spec.Name, spec.Subnet, spec.Internal, spec.IsolateFromHost);
        IdResponse created;
        try
        {
            created = await _client.SendJsonAsync(
                HttpMethod.Post, "/networks/create", body, DockerJsonContext.Default.NetworkCreateRequest, DockerJsonContext.Default.IdResponse,
                $"network create of {spec.Name}", cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxInfrastructureException ex) when (spec.Subnet is not null && ex.Message.Contains("Pool overlaps", StringComparison.OrdinalIgnoreCase))
        {
            // Callers retry another subnet on "subnet ... already" (TOP-5); Docker words the clash differently.
            throw new SandboxInfrastructureException($"Subnet {spec.Subnet} is already in use on this host. {ex.Message}", ex);
        }

        if (spec.IsolateFromHost)
        {
            var network = await _client.GetJsonOrDefaultAsync(
                $"/networks/{Uri.EscapeDataString(created.Id)}", DockerJsonContext.Default.NetworkInspectResponse, $"network inspect of {spec.Name}", cancellationToken).ConfigureAwait(false);
            if (network?.Options is null || !network.Options.TryGetValue(IsolationOption, out var value) || value != "true")
            {
                await RemoveNetworkAsync(spec.Name, CancellationToken.None).ConfigureAwait(false);
                throw new SandboxInfrastructureException(
                    $"Docker did not keep {IsolationOption}=true on network {spec.Name}, so containers could reach the host; the network was removed.");
            }
        }
    }

    /// <inheritdoc />
    public async Task<NetworkInfo?> InspectNetworkAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var network = await _client.GetJsonOrDefaultAsync(
            $"/networks/{Uri.EscapeDataString(name)}", DockerJsonContext.Default.NetworkInspectResponse, $"network inspect of {name}", cancellationToken).ConfigureAwait(false);
        return network is null ? null : ToNetworkInfo(network);
    }

    /// <inheritdoc />
    public async Task RemoveNetworkAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var response = await _client.SendAsync(
            HttpMethod.Delete, $"/networks/{Uri.EscapeDataString(name)}", null, $"network removal of {name}", cancellationToken, tolerated: HttpStatusCode.NotFound).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        using var response = await _client.SendAsync(
            HttpMethod.Get, "/networks?filters=" + DockerEngineClient.LabelFilter(labels), null, "network list", cancellationToken).ConfigureAwait(false);
        var networks = await DockerEngineClient.ReadJsonAsync(response, DockerJsonContext.Default.ListNetworkInspectResponse, "network list", cancellationToken).ConfigureAwait(false);
        return networks.Select(ToNetworkInfo).ToList();
    }

    /// <inheritdoc />
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var resolvConf = await WriteResolvConfAsync(spec, cancellationToken).ConfigureAwait(false);
        string? id = null;
        try
        {
            var body = ContainerCreateRequestFactory.Create(spec, resolvConf);
            DockerRuntimeLog.CreatingContainer(_logger, spec.Name, spec.Image);
            var created = await _client.SendJsonAsync(
                HttpMethod.Post, "/containers/create?name=" + Uri.EscapeDataString(spec.Name), body,
                DockerJsonContext.Default.ContainerCreateRequest, DockerJsonContext.Default.IdResponse,
                $"container create of {spec.Name}", cancellationToken).ConfigureAwait(false);
            id = created.Id;
            foreach (var warning in created.Warnings ?? [])
            {
                DockerRuntimeLog.CreateWarning(_logger, spec.Name, warning);
            }

            // API versions before 1.44 take one network at create time; the rest are joined before start.
            foreach (var attachment in spec.Networks.Skip(1))
            {
                // dockerd 20.10 accepts a connect of a created container to a network that does not exist and only
                // fails at start; checking first keeps the failure here, with a clear message.
                if (await InspectNetworkAsync(attachment.Network, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw new SandboxInfrastructureException($"Docker network connect of {spec.Name} failed: network {attachment.Network} not found.");
                }

                using var content = DockerEngineClient.JsonBody(
                    new NetworkConnectRequest(id, ContainerCreateRequestFactory.EndpointFor(attachment)), DockerJsonContext.Default.NetworkConnectRequest);
                using var response = await _client.SendAsync(
                    HttpMethod.Post, $"/networks/{Uri.EscapeDataString(attachment.Network)}/connect", content,
                    $"network connect of {spec.Name} to {attachment.Network}", cancellationToken).ConfigureAwait(false);
            }

            return id;
        }
        catch
        {
            if (id is not null)
            {
                await RemoveContainerAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            else if (resolvConf is not null)
            {
                File.Delete(resolvConf);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        using var response = await _client.SendAsync(
            HttpMethod.Post, $"/containers/{Uri.EscapeDataString(nameOrId)}/start", null, $"container start of {nameOrId}", cancellationToken,
            tolerated: HttpStatusCode.NotModified).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The attach request goes first: Docker answers its headers only once the connection is hijacked, and
    /// joins it to the container's output right after, while the start that follows still has to create the
    /// process. Output the process writes before that join would be missed; starting a process takes far
    /// longer than the join, so none is.
    /// </remarks>
    public async Task<ContainerExit> RunAttachedAsync(string nameOrId, IContainerOutputSink output, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        ArgumentNullException.ThrowIfNull(output);
        var escaped = Uri.EscapeDataString(nameOrId);
        using (var attached = await _client.SendAsync(
            HttpMethod.Post, $"/containers/{escaped}/attach?stream=1&stdout=1&stderr=1", null, $"attach to {nameOrId}", cancellationToken,
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false))
        {
            var stream = await attached.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await StartContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);
                await MultiplexedStreamDemuxer.CopyAsync(stream, output, cancellationToken).ConfigureAwait(false);
            }
        }

        return await WaitContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ContainerExit> WaitContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        using var response = await _client.SendAsync(
            HttpMethod.Post, $"/containers/{Uri.EscapeDataString(nameOrId)}/wait?condition=not-running", null, $"wait for {nameOrId}", cancellationToken,
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var waited = await DockerEngineClient.ReadJsonAsync(response, DockerJsonContext.Default.WaitResponse, $"wait for {nameOrId}", cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(waited.Error?.Message))
        {
            throw new SandboxInfrastructureException($"Docker wait for {nameOrId} failed: {waited.Error.Message}");
        }

        var container = await InspectRawAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        return new ContainerExit(checked((int)waited.StatusCode), container?.State?.OomKilled ?? false);
    }

    /// <inheritdoc />
    public async Task<ContainerLogs> GetLogsAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        using var response = await _client.SendAsync(
            HttpMethod.Get, $"/containers/{Uri.EscapeDataString(nameOrId)}/logs?stdout=1&stderr=1", null, $"logs of {nameOrId}", cancellationToken,
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var collected = new CollectingOutputSink();
            await MultiplexedStreamDemuxer.CopyAsync(stream, collected, cancellationToken).ConfigureAwait(false);
            return collected.ToLogs();
        }
    }

    /// <inheritdoc />
    public async Task<ContainerInfo?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        var container = await InspectRawAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        return container is null ? null : ToContainerInfo(container);
    }

    /// <inheritdoc />
    public async Task KillContainerAsync(string nameOrId, string signal, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        var query = $"/containers/{Uri.EscapeDataString(nameOrId)}/kill?signal={Uri.EscapeDataString(string.IsNullOrEmpty(signal) ? "KILL" : signal)}";

        // 409: the container is not running; 404: it is gone. Both mean there is nothing left to signal.
        using var response = await _client.SendAsync(
            HttpMethod.Post, query, null, $"kill of {nameOrId}", cancellationToken, tolerated: [HttpStatusCode.NotFound, HttpStatusCode.Conflict]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        var container = await InspectRawAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (container is null)
        {
            return;
        }

        using (var response = await _client.SendAsync(
            HttpMethod.Delete, $"/containers/{Uri.EscapeDataString(container.Id)}?force=true&v=true", null, $"container removal of {nameOrId}", cancellationToken,
            tolerated: HttpStatusCode.NotFound).ConfigureAwait(false))
        {
        }

        DeleteOwnResolvConf(container);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerInfo>> ListContainersAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        using var response = await _client.SendAsync(
            HttpMethod.Get, "/containers/json?all=1&filters=" + DockerEngineClient.LabelFilter(labels), null, "container list", cancellationToken).ConfigureAwait(false);
        var summaries = await DockerEngineClient.ReadJsonAsync(response, DockerJsonContext.Default.ListContainerSummary, "container list", cancellationToken).ConfigureAwait(false);
        var result = new List<ContainerInfo>(summaries.Count);
        foreach (var summary in summaries)
        {
            // The list lacks exit code and OOM state; a container removed in between is simply not listed.
            if (await InspectRawAsync(summary.Id, cancellationToken).ConfigureAwait(false) is { } container)
            {
                result.Add(ToContainerInfo(container));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private Task<ContainerInspectResponse?> InspectRawAsync(string nameOrId, CancellationToken cancellationToken)
        => _client.GetJsonOrDefaultAsync(
            $"/containers/{Uri.EscapeDataString(nameOrId)}/json", DockerJsonContext.Default.ContainerInspectResponse, $"container inspect of {nameOrId}", cancellationToken);

    private async Task<string?> WriteResolvConfAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        if (spec.DnsServers.Count == 0)
        {
            return null;
        }

        if (spec.Mounts.Any(mount => mount.Target.TrimEnd('/') == ContainerCreateRequestFactory.ResolvConfTarget))
        {
            throw new SandboxConfigurationException(
                $"Container {spec.Name} names DNS servers and also mounts {ContainerCreateRequestFactory.ResolvConfTarget}; give one or the other.");
        }

        var directory = Path.GetFullPath(_options.ResolvConfDirectory);
        Directory.CreateDirectory(directory);

        // A fresh file per create: a second create under a taken name must not rewrite a live container's resolver.
        var path = Path.Combine(directory, $"{spec.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.resolv.conf");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by whatever user the container runs as; it holds nothing secret.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        var file = new FileStream(path, options);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes(ContainerCreateRequestFactory.ResolvConfText(spec.DnsServers)), cancellationToken).ConfigureAwait(false);
        }

        return path;
    }

    private void DeleteOwnResolvConf(ContainerInspectResponse container)
    {
        var directory = Path.GetFullPath(_options.ResolvConfDirectory) + Path.DirectorySeparatorChar;
        foreach (var mount in container.Mounts ?? [])
        {
            if (mount.Destination == ContainerCreateRequestFactory.ResolvConfTarget
                && mount.Source is { } source
                && source.StartsWith(directory, StringComparison.Ordinal))
            {
                File.Delete(source);
            }
        }
    }

    private static NetworkInfo ToNetworkInfo(NetworkInspectResponse network)
    {
        var pool = network.Ipam?.Config?.FirstOrDefault(config => config.Subnet is { } subnet && !subnet.Contains(':', StringComparison.Ordinal));
        return new NetworkInfo(network.Name, network.Id, pool?.Subnet, pool?.Gateway, network.Internal, network.Labels ?? new Dictionary<string, string>());
    }

    private static ContainerInfo ToContainerInfo(ContainerInspectResponse container)
    {
        var state = container.State;
        var running = state?.Running ?? false;
        var exited = !running && state?.Status is not ("created" or null);
        var addresses = new Dictionary<string, IPAddress>();
        foreach (var (network, endpoint) in container.NetworkSettings?.Networks ?? new Dictionary<string, ContainerEndpoint>())
        {
            if (IPAddress.TryParse(endpoint.IPAddress, out var address))
            {
                addresses[network] = address;
            }
        }

        return new ContainerInfo(
            container.Id,
            container.Name.TrimStart('/'),
            container.Config?.Image ?? string.Empty,
            running,
            exited ? state!.ExitCode : null,
            state?.OomKilled ?? false,
            container.Config?.Labels ?? new Dictionary<string, string>(),
            addresses);
    }
}
