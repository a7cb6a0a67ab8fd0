using System.Text.Json.Serialization;

namespace Airut.Sandbox.Podman.Json;

/// <summary>One interface of <c>ip -j addr show</c>.</summary>
internal sealed class IpLinkJson
{
    [JsonPropertyName("ifname")]
    public string? Name { get; set; }

    [JsonPropertyName("addr_info")]
    public List<IpAddressJson>? Addresses { get; set; }
}

/// <summary>One address of an interface in <c>ip -j addr show</c>.</summary>
internal sealed class IpAddressJson
{
    [JsonPropertyName("family")]
    public string? Family { get; set; }

    [JsonPropertyName("local")]
    public string? Local { get; set; }
}
