using System.Text.Json.Serialization;

namespace Airut.Sandbox.Docker.Api;

/// <summary>Body of <c>POST /containers/create</c>.</summary>
internal sealed record ContainerCreateRequest
{
    public required string Image { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public bool AttachStdout { get; init; }

    public bool AttachStderr { get; init; }

    public bool OpenStdin { get; init; }

    public bool Tty { get; init; }

    public required ContainerHostConfig HostConfig { get; init; }

    public ContainerNetworkingConfig? NetworkingConfig { get; init; }
}

/// <summary>The <c>HostConfig</c> of a container create request.</summary>
internal sealed record ContainerHostConfig
{
    public IReadOnlyList<ContainerMount>? Mounts { get; init; }

    public IReadOnlyList<string>? CapDrop { get; init; }

    public IReadOnlyList<string>? CapAdd { get; init; }

    public IReadOnlyList<string>? SecurityOpt { get; init; }

    public long? Memory { get; init; }

    public long? MemorySwap { get; init; }

    public long? NanoCpus { get; init; }

    public long? PidsLimit { get; init; }

    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }

    public IReadOnlyList<string>? Dns { get; init; }

    public IReadOnlyList<string>? ExtraHosts { get; init; }

    public bool ReadonlyRootfs { get; init; }

    /// <summary>Target path → tmpfs mount options (<c>rw,exec,nosuid,nodev,size=…,mode=…</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    public string? NetworkMode { get; init; }
}

/// <summary>One entry of <c>HostConfig.Mounts</c>.</summary>
internal sealed record ContainerMount(string Type, string Source, string Target, bool ReadOnly);

/// <summary>The <c>NetworkingConfig</c> of a container create request.</summary>
internal sealed record ContainerNetworkingConfig(IReadOnlyDictionary<string, EndpointSettings> EndpointsConfig);

/// <summary>A container's settings on one network.</summary>
internal sealed record EndpointSettings([property: JsonPropertyName("IPAMConfig")] EndpointIpamConfig? IpamConfig);

/// <summary>Static addresses of a container on one network.</summary>
internal sealed record EndpointIpamConfig([property: JsonPropertyName("IPv4Address")] string? IPv4Address);

/// <summary>Body of <c>POST /networks/{id}/connect</c>.</summary>
internal sealed record NetworkConnectRequest(string Container, EndpointSettings? EndpointConfig);
