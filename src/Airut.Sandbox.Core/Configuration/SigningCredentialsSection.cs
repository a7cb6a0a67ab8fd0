using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Reads <c>signing_credentials</c> (CFG-30..CFG-36). Inside an entry the checks run in the order
/// mapping → unknown keys → type → access_key_id → secret_access_key → session_token → scopes.
/// </summary>
internal static class SigningCredentialsSection
{
    /// <summary>The only accepted <c>type</c> (SigV4 and SigV4A alike).</summary>
    public const string AwsSigV4 = "aws-sigv4";

    private const string Key = "signing_credentials";
    private static readonly string[] EntryKeys = ["type", "access_key_id", "secret_access_key", "session_token", "scopes"];

    /// <summary>Reads the section; absent means none.</summary>
    public static IReadOnlyList<SigningCredential> Read(ConfigNodeReader reader, RequiredValueReader values, ConfigNode? node)
    {
        if (node is null)
        {
            return [];
        }

        var section = reader.Mapping(node, Key, "'signing_credentials'");
        var credentials = new List<SigningCredential>(section.Entries.Count);
        foreach (var (labelNode, entryNode) in section.Entries)
        {
            var label = labelNode.Value;
            var key = KeyPath.Child(Key, label);
            var entry = reader.Mapping(entryNode, key, $"signing_credentials.{label}");
            reader.RejectUnknownKeys(entry, key, EntryKeys);
            CheckType(reader, entry, labelNode, key);

            var accessKeyId = values.Read(entry.Find("access_key_id")?.Value, labelNode, KeyPath.Child(key, "access_key_id"))!;
            var secretAccessKey = values.Read(entry.Find("secret_access_key")?.Value, labelNode, KeyPath.Child(key, "secret_access_key"))!;
            var sessionToken = values.Read(entry.Find("session_token")?.Value, labelNode, KeyPath.Child(key, "session_token"), optional: true);
            var scopes = MaskedSecretsSection.NonEmptyList(reader, entry, labelNode, key, "scopes", "host pattern", HostPatternRule.Check);

            credentials.Add(new SigningCredential(
                label,
                new SecretValue(accessKeyId.Text),
                new SecretValue(secretAccessKey.Text),
                sessionToken is null ? null : new SecretValue(sessionToken.Text),
                accessKeyId.EnvName ?? "AWS_ACCESS_KEY_ID",
                secretAccessKey.EnvName ?? "AWS_SECRET_ACCESS_KEY",
                sessionToken?.EnvName ?? "AWS_SESSION_TOKEN",
                scopes));
        }

        return credentials;
    }

    private static void CheckType(ConfigNodeReader reader, MappingNode entry, ScalarNode owner, string key)
    {
        var typeKey = KeyPath.Child(key, "type");
        var type = entry.Find("type");
        if (type is null)
        {
            throw new SandboxConfigurationException($"must be '{AwsSigV4}', got nothing (the key is missing)", reader.At(owner), typeKey);
        }

        reader.RejectEnvTag(type.Value, typeKey);
        if (type.Value is not ScalarNode { Kind: PlainScalarKind.String, Value: AwsSigV4 })
        {
            var got = type.Value is ScalarNode scalar ? $"'{scalar.Value}'" : type.Value.Describe();
            throw reader.Error(type.Value, typeKey, $"must be '{AwsSigV4}', got {got}");
        }
    }
}
