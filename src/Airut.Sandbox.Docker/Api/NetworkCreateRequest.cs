using System.Text.Json.Serialization;

namespace Airut.Sandbox.Docker.Api;

/// <summary>Body of <c>POST /networks/create</c>.</summary>
internal sealed record NetworkCreateRequest
{
    public required string Name { get; init; }

    public bool CheckDuplicate { get; init; } = true;

    public string Driver { get; init; } = "bridge";

    public bool Internal { get; init; }

    [JsonPropertyName("IPAM")]
    public NetworkIpam? Ipam { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>A network's address management.</summary>
internal sealed record NetworkIpam
{
    public string? Driver { get; init; }

    public IReadOnlyList<NetworkIpamPool>? Config { get; init; }
}

/// <summary>One address pool of a network.</summary>
internal sealed record NetworkIpamPool
{
    public string? Subnet { get; init; }

    public string? Gateway { get; init; }
}
