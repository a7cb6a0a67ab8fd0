using System.Text.Json.Serialization;

namespace Airut.Sandbox.Podman.Json;

/// <summary>The part of <c>podman info --format json</c> we read.</summary>
internal sealed class PodmanInfoJson
{
    [JsonPropertyName("version")]
    public PodmanVersionJson? Version { get; set; }
}

/// <summary>The <c>version</c> object of <c>podman info</c>.</summary>
internal sealed class PodmanVersionJson
{
    [JsonPropertyName("Version")]
    public string? Version { get; set; }

    [JsonPropertyName("APIVersion")]
    public string? ApiVersion { get; set; }
}
