using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Reads <c>masked_secrets</c> (CFG-20..CFG-26). Inside an entry the checks run in the order
/// mapping → unknown keys → value → scopes → headers → allow_foreign_credentials.
/// </summary>
internal static class MaskedSecretsSection
{
    private const string Key = "masked_secrets";
    private static readonly string[] EntryKeys = ["value", "scopes", "headers", "allow_foreign_credentials"];

    /// <summary>Reads the section; absent means none.</summary>
    public static IReadOnlyList<MaskedSecret> Read(ConfigNodeReader reader, RequiredValueReader values, ConfigNode? node)
    {
        if (node is null)
        {
            return [];
        }

        var section = reader.Mapping(node, Key, "'masked_secrets'");
        var secrets = new List<MaskedSecret>(section.Entries.Count);
        foreach (var (nameNode, entryNode) in section.Entries)
        {
            var name = nameNode.Value;
            var key = KeyPath.Child(Key, name);
            if (EnvironmentVariableNameRule.Check(name) is { } nameProblem)
            {
                throw reader.Error(nameNode, key, nameProblem);
            }

            var entry = reader.Mapping(entryNode, key, $"masked_secrets.{name}");
            reader.RejectUnknownKeys(entry, key, EntryKeys);
            var value = values.Read(entry.Find("value")?.Value, nameNode, KeyPath.Child(key, "value"))!;
            var scopes = NonEmptyList(reader, entry, nameNode, key, "scopes", "host pattern", HostPatternRule.Check);
            var headers = NonEmptyList(reader, entry, nameNode, key, "headers", "header name pattern", HeaderPatternRule.Check);
            var allowForeign = reader.Boolean(
                entry.Find("allow_foreign_credentials")?.Value, KeyPath.Child(key, "allow_foreign_credentials"), whenNull: false);
            secrets.Add(new MaskedSecret(name, new SecretValue(value.Text), scopes, headers, allowForeign));
        }

        return secrets;
    }

    /// <summary>A required non-empty string list of an entry (CFG-22, CFG-23, CFG-35).</summary>
    public static IReadOnlyList<string> NonEmptyList(
        ConfigNodeReader reader,
        MappingNode entry,
        ScalarNode owner,
        string entryKey,
        string field,
        string itemWhat,
        Func<string, string?> check)
    {
        var key = KeyPath.Child(entryKey, field);
        var list = entry.Find(field)
            ?? throw reader.Error(owner, key, $"must be a non-empty list of {itemWhat}s, but '{field}' is missing");
        return reader.StringList(list.Value, key, itemWhat, nonEmpty: true, check);
    }
}
