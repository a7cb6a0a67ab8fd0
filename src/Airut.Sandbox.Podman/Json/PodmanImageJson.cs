using System.Text.Json.Serialization;

namespace Airut.Sandbox.Podman.Json;

/// <summary>One element of <c>podman image inspect</c>.</summary>
internal sealed class PodmanImageJson
{
    [JsonPropertyName("Id")]
    public string? Id { get; set; }

    [JsonPropertyName("RepoTags")]
    public List<string>? RepoTags { get; set; }

    [JsonPropertyName("Created")]
    public DateTimeOffset Created { get; set; }

    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; set; }
}
