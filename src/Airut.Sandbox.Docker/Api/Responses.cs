using System.Text.Json.Serialization;

namespace Airut.Sandbox.Docker.Api;

/// <summary>Body of <c>GET /version</c>.</summary>
internal sealed record VersionResponse(string? Version, string? ApiVersion, [property: JsonPropertyName("MinAPIVersion")] string? MinApiVersion);

/// <summary>The error body every failing endpoint returns.</summary>
internal sealed record ErrorResponse([property: JsonPropertyName("message")] string? Message);

/// <summary>Body returned by create endpoints.</summary>
internal sealed record IdResponse(string Id, IReadOnlyList<string>? Warnings);

/// <summary>Body of <c>POST /containers/{id}/wait</c>.</summary>
internal sealed record WaitResponse(long StatusCode, WaitError? Error);

/// <summary>An error reported by a wait.</summary>
internal sealed record WaitError(string? Message);

/// <summary>Body of <c>GET /images/{name}/json</c> (the fields used).</summary>
internal sealed record ImageInspectResponse(string Id, IReadOnlyList<string>? RepoTags, string? Created, ImageConfig? Config);

/// <summary>The image configuration (the fields used).</summary>
internal sealed record ImageConfig(IReadOnlyDictionary<string, string>? Labels);

/// <summary>Body of <c>GET /networks/{id}</c> and items of <c>GET /networks</c>.</summary>
internal sealed record NetworkInspectResponse(
    string Name,
    string Id,
    bool Internal,
    [property: JsonPropertyName("IPAM")] NetworkIpam? Ipam,
    IReadOnlyDictionary<string, string>? Options,
    IReadOnlyDictionary<string, string>? Labels);

/// <summary>Body of <c>GET /containers/{id}/json</c> (the fields used).</summary>
internal sealed record ContainerInspectResponse(
    string Id,
    string Name,
    ContainerInspectConfig? Config,
    ContainerState? State,
    ContainerNetworkSettings? NetworkSettings,
    IReadOnlyList<ContainerMountPoint>? Mounts);

/// <summary>The container's configuration (the fields used).</summary>
internal sealed record ContainerInspectConfig(string? Image, IReadOnlyDictionary<string, string>? Labels);

/// <summary>The container's state.</summary>
internal sealed record ContainerState(
    string? Status,
    bool Running,
    int ExitCode,
    [property: JsonPropertyName("OOMKilled")] bool OomKilled);

/// <summary>The container's networks.</summary>
internal sealed record ContainerNetworkSettings(IReadOnlyDictionary<string, ContainerEndpoint>? Networks);

/// <summary>The container on one network.</summary>
internal sealed record ContainerEndpoint(string? IPAddress);

/// <summary>A mount as inspect reports it.</summary>
internal sealed record ContainerMountPoint(string? Type, string? Source, string? Destination);

/// <summary>Items of <c>GET /containers/json</c> (the fields used).</summary>
internal sealed record ContainerSummary(string Id);

/// <summary>One line of the JSON message stream of build and load.</summary>
internal sealed record JsonMessage(
    [property: JsonPropertyName("stream")] string? Stream,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("errorDetail")] JsonMessageError? ErrorDetail);

/// <summary>The error of a JSON message.</summary>
internal sealed record JsonMessageError([property: JsonPropertyName("message")] string? Message);
