using System.Text.Json.Serialization;

namespace Airut.Sandbox.Podman.Json;

/// <summary>Source-generated serialisation for every podman <c>--format json</c> shape we read.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(PodmanInfoJson))]
[JsonSerializable(typeof(List<PodmanImageJson>))]
[JsonSerializable(typeof(List<PodmanNetworkJson>))]
[JsonSerializable(typeof(List<PodmanContainerJson>))]
[JsonSerializable(typeof(List<IpLinkJson>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class PodmanJsonContext : JsonSerializerContext;
