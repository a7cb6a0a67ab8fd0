using System.Text.Json.Serialization;

namespace Airut.Sandbox.Docker.Api;

/// <summary>Source-generated serialisation for every Engine API body this client sends or reads.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(WaitResponse))]
[JsonSerializable(typeof(ImageInspectResponse))]
[JsonSerializable(typeof(NetworkInspectResponse))]
[JsonSerializable(typeof(List<NetworkInspectResponse>))]
[JsonSerializable(typeof(ContainerInspectResponse))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
