using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Typed, strict reads from a <see cref="ConfigNode"/> tree of one file. Every failure is a
/// <see cref="SandboxConfigurationException"/> carrying the file, the node's line and column and the dotted key.
/// Messages describe what was found ("got a mapping", "got the boolean on"), never the text of a string,
/// because strings may be secrets.
/// </summary>
internal sealed class ConfigNodeReader(string path)
{
    private const string EnvTagPositions =
        "!env is only allowed for env values, masked_secrets.<NAME>.value and " +
        "signing_credentials.<LABEL>.access_key_id / secret_access_key / session_token";

    /// <summary>The file being read.</summary>
    public string Path { get; } = path;

    /// <summary>The location of <paramref name="node"/>.</summary>
    public SourceLocation At(ConfigNode node) => new(Path, node.Line, node.Column);

    /// <summary>An error at <paramref name="node"/>.</summary>
    public SandboxConfigurationException Error(ConfigNode node, string? key, string message) => new(message, At(node), key);

    /// <summary><paramref name="node"/> as a mapping, or an error "<paramref name="what"/> must be a mapping, got ...".</summary>
    public MappingNode Mapping(ConfigNode node, string key, string what)
    {
        RejectEnvTag(node, key);
        return node as MappingNode ?? throw Error(node, key, $"{what} must be a mapping, got {node.Describe()}");
    }

    /// <summary>Rejects keys of <paramref name="mapping"/> not in <paramref name="allowed"/>, suggesting the nearest (AL-10 [H]).</summary>
    public void RejectUnknownKeys(MappingNode mapping, string? key, IReadOnlyList<string> allowed)
    {
        foreach (var entry in mapping.Entries)
        {
            if (allowed.Contains(entry.Key.Value, StringComparer.Ordinal))
            {
                continue;
            }

            var suggestion = KeySuggestion.For(entry.Key.Value, allowed);
            var hint = suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";
            throw Error(
                entry.Key,
                KeyPath.Child(key, entry.Key.Value),
                $"unknown key '{entry.Key.Value}'{hint} (allowed here: {string.Join(", ", allowed)})");
        }
    }

    /// <summary>A string scalar: quoted, or plain text YAML would not read as null, boolean, number or date.</summary>
    public string String(ConfigNode node, string key, string what)
    {
        RejectEnvTag(node, key);
        if (node is not ScalarNode scalar)
        {
            throw Error(node, key, $"expected {what}, got {node.Describe()}");
        }

        if (scalar.Kind != PlainScalarKind.String)
        {
            var hint = scalar.IsNull ? string.Empty : "; put it in quotes if you mean the text";
            throw Error(node, key, $"expected {what}, got {scalar.Describe()}{hint}");
        }

        RejectNul(scalar, key);
        return scalar.Value;
    }

    /// <summary>A list of strings (never a string split into characters), each checked by <paramref name="check"/>.</summary>
    /// <param name="node">The list node.</param>
    /// <param name="key">Its key path.</param>
    /// <param name="itemWhat">What one item is, for messages ("a host pattern").</param>
    /// <param name="nonEmpty">Whether an empty list is an error.</param>
    /// <param name="check">Validates one item's text; returns an error message or null.</param>
    public IReadOnlyList<string> StringList(
        ConfigNode node, string key, string itemWhat, bool nonEmpty, Func<string, string?>? check = null)
    {
        RejectEnvTag(node, key);
        if (node is not SequenceNode list)
        {
            throw Error(node, key, $"expected a list of {itemWhat}s, got {node.Describe()}");
        }

        if (nonEmpty && list.Items.Count == 0)
        {
            throw Error(node, key, $"must be a non-empty list of {itemWhat}s, got an empty list");
        }

        var items = new List<string>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemKey = KeyPath.Item(key, i);
            var text = String(list.Items[i], itemKey, itemWhat);
            if (text.Length == 0)
            {
                throw Error(list.Items[i], itemKey, $"expected {itemWhat}, got an empty string");
            }

            var problem = check?.Invoke(text);
            if (problem is not null)
            {
                throw Error(list.Items[i], itemKey, problem);
            }

            items.Add(text);
        }

        return items;
    }

    /// <summary>
    /// A CFG-40 boolean: a native boolean or one of the accepted spellings; <paramref name="whenNull"/> when
    /// the key is absent or null. Anything else is an error quoting what was written.
    /// </summary>
    public bool Boolean(ConfigNode? node, string key, bool whenNull)
    {
        if (node is null || node is ScalarNode { IsNull: true, Tag: null })
        {
            return whenNull;
        }

        RejectEnvTag(node, key);
        if (node is ScalarNode scalar && BooleanTokens.Parse(scalar.Value) is { } value)
        {
            return value;
        }

        var got = node is ScalarNode written ? $"'{written.Value}'" : node.Describe();
        throw Error(node, key, $"'{key}' must be a boolean (true/false, yes/no, on/off, 1/0), got {got}");
    }

    /// <summary>Rejects <c>!env</c> where no required value is resolved (CFG-13 [DEV]).</summary>
    public void RejectEnvTag(ConfigNode node, string key)
    {
        if (node is ScalarNode { IsEnvTag: true })
        {
            throw Error(node, key, EnvTagPositions);
        }
    }

    /// <summary>Rejects a NUL character, which no name, pattern or environment value can hold.</summary>
    public void RejectNul(ScalarNode node, string key)
    {
        if (node.Value.Contains('\0', StringComparison.Ordinal))
        {
            throw Error(node, key, "the value contains a NUL character (\\0), which is not allowed");
        }
    }
}
