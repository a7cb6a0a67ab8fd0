using System.Text.Json;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Credentials;

/// <summary>
/// The masked-secret part of the replacement map file handed to the proxy (MS-09, MS-10): an object keyed by
/// surrogate, each value <c>{"env_name", "value", "scopes", "headers"}</c> plus
/// <c>"allow_foreign_credentials": true</c> only when true. Entries with a <c>"type"</c> (signing credentials)
/// belong to other readers and are skipped. The file holds real values: write it only to a private 0600 file.
/// </summary>
public static class SurrogateReplacementMapJson
{
    /// <summary>Writes the map's entries as properties of the JSON object the writer is in.</summary>
    public static void WriteEntries(Utf8JsonWriter writer, SurrogateReplacementMap map)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(map);
        foreach (var entry in map.Entries)
        {
            writer.WriteStartObject(entry.Surrogate);
            writer.WriteString("env_name", entry.EnvName);
            writer.WriteString("value", entry.Secret.Value.Reveal);
            WriteArray(writer, "scopes", entry.Secret.Scopes);
            WriteArray(writer, "headers", entry.Secret.Headers);
            if (entry.Secret.AllowForeignCredentials)
            {
                writer.WriteBoolean("allow_foreign_credentials", true);
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>Reads the masked-secret entries of a replacement map object.</summary>
    /// <exception cref="SandboxConfigurationException">The document is not an object or an entry is malformed.
    /// Messages name the entry by its variable or position, never by value.</exception>
    public static SurrogateReplacementMap Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SandboxConfigurationException("the replacement map must be a JSON object");
        }

        var entries = new List<SurrogateCredential>();
        var index = 0;
        foreach (var property in root.EnumerateObject())
        {
            var at = $"replacements[{index++}]";
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw new SandboxConfigurationException("an entry must be an object", key: at);
            }

            if (property.Value.TryGetProperty("type", out _))
            {
                continue;
            }

            var envName = RequiredString(property.Value, "env_name", at);
            var secret = new MaskedSecret(
                envName,
                new SecretValue(RequiredString(property.Value, "value", at)),
                StringArray(property.Value, "scopes", at),
                StringArray(property.Value, "headers", at),
                property.Value.TryGetProperty("allow_foreign_credentials", out var allow) && allow.ValueKind == JsonValueKind.True);
            entries.Add(new SurrogateCredential(property.Name, secret));
        }

        return new SurrogateReplacementMap(entries);
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string RequiredString(JsonElement entry, string name, string at) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new SandboxConfigurationException($"'{name}' must be a string", key: at);

    private static string[] StringArray(JsonElement entry, string name, string at)
    {
        if (!entry.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array ||
            array.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            throw new SandboxConfigurationException($"'{name}' must be a list of strings", key: at);
        }

        return array.EnumerateArray().Select(item => item.GetString()!).ToArray();
    }
}
