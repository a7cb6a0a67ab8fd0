using System.Text.Json.Serialization;

namespace Airut.Sandbox.Podman.Json;

/// <summary>One element of <c>podman network inspect</c> / <c>network ls --format json</c> (netavark).</summary>
internal sealed class PodmanNetworkJson
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("network_interface")]
    public string? NetworkInterface { get; set; }

    [JsonPropertyName("subnets")]
    public List<PodmanSubnetJson>? Subnets { get; set; }

    [JsonPropertyName("internal")]
    public bool Internal { get; set; }

    [JsonPropertyName("dns_enabled")]
    public bool DnsEnabled { get; set; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>A subnet of a podman network.</summary>
internal sealed class PodmanSubnetJson
{
    [JsonPropertyName("subnet")]
    public string? Subnet { get; set; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }
}
