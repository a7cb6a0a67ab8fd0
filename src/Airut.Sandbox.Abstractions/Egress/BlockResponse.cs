using System.Text;
using System.Text.Json;

namespace Airut.Sandbox.Abstractions.Egress;

/// <summary>
/// The JSON body of a proxy-generated 403 (PX-13). Keys are written in the order
/// <c>error</c>, <c>host</c>, <c>path</c>, <c>method</c>, <c>message</c>, <c>detail</c>; absent fields are left out.
/// Never echoes header values.
/// </summary>
/// <param name="Error">The error code, e.g. <c>blocked_by_network_allowlist</c>.</param>
/// <param name="Message">What happened and how to request access.</param>
/// <param name="Detail">Extra detail (why a path or method was refused), when any.</param>
public sealed record BlockResponse(string Error, string Message, string? Detail = null)
{
    /// <summary>The error code of every allowlist block (PX-13a).</summary>
    public const string AllowlistError = "blocked_by_network_allowlist";

    /// <summary>The decision host, for allowlist blocks.</summary>
    public string? Host { get; init; }

    /// <summary>The raw, undecoded path including the query, for allowlist blocks.</summary>
    public string? Path { get; init; }

    /// <summary>The method as sent, for allowlist blocks.</summary>
    public string? Method { get; init; }

    /// <summary>Serialises the body as UTF-8 JSON in the PX-13 key order.</summary>
    public byte[] ToJsonUtf8()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", Error);
            WriteIfPresent(writer, "host", Host);
            WriteIfPresent(writer, "path", Path);
            WriteIfPresent(writer, "method", Method);
            writer.WriteString("message", Message);
            WriteIfPresent(writer, "detail", Detail);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serialises the body as a JSON string in the PX-13 key order.</summary>
    public string ToJson() => Encoding.UTF8.GetString(ToJsonUtf8());

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
