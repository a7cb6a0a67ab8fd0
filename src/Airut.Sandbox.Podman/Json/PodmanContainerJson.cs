using System.Text.Json.Serialization;

namespace Airut.Sandbox.Podman.Json;

/// <summary>One element of <c>podman container inspect</c>.</summary>
internal sealed class PodmanContainerJson
{
    [JsonPropertyName("Id")]
    public string? Id { get; set; }

    [JsonPropertyName("Name")]
    public string? Name { get; set; }

    [JsonPropertyName("ImageName")]
    public string? ImageName { get; set; }

    [JsonPropertyName("State")]
    public PodmanContainerStateJson? State { get; set; }

    [JsonPropertyName("Config")]
    public PodmanContainerConfigJson? Config { get; set; }

    [JsonPropertyName("NetworkSettings")]
    public PodmanNetworkSettingsJson? NetworkSettings { get; set; }

    [JsonPropertyName("HostConfig")]
    public PodmanHostConfigJson? HostConfig { get; set; }
}

/// <summary><c>HostConfig</c> of an inspected container.</summary>
internal sealed class PodmanHostConfigJson
{
    [JsonPropertyName("Memory")]
    public long Memory { get; set; }
}

/// <summary><c>State</c> of an inspected container.</summary>
internal sealed class PodmanContainerStateJson
{
    [JsonPropertyName("Status")]
    public string? Status { get; set; }

    [JsonPropertyName("Running")]
    public bool Running { get; set; }

    [JsonPropertyName("OOMKilled")]
    public bool OomKilled { get; set; }

    [JsonPropertyName("ExitCode")]
    public int ExitCode { get; set; }
}

/// <summary><c>Config</c> of an inspected container.</summary>
internal sealed class PodmanContainerConfigJson
{
    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary><c>NetworkSettings</c> of an inspected container.</summary>
internal sealed class PodmanNetworkSettingsJson
{
    [JsonPropertyName("Networks")]
    public Dictionary<string, PodmanEndpointJson>? Networks { get; set; }
}

/// <summary>One network endpoint of an inspected container.</summary>
internal sealed class PodmanEndpointJson
{
    [JsonPropertyName("IPAddress")]
    public string? IpAddress { get; set; }
}
