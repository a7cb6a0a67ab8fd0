using System.Text.Json.Serialization;

namespace Airut.Sandbox.Abstractions.Proxy;

/// <summary>Source-generated JSON metadata for <see cref="ProxyConfiguration"/> (no reflection, NativeAOT-safe).
/// Source generation assigns every init-only property, absent ones as null, so optional lists turn null into empty.
/// Unknown keys are errors, so a typo never silently drops a setting.</summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ProxyConfiguration))]
public sealed partial class ProxyConfigurationJsonContext : JsonSerializerContext;
