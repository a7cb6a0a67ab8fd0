namespace Airut.Sandbox.Core.Configuration;

/// <summary>A YAML mapping, entries in document order, keys unique.</summary>
internal sealed record MappingNode(IReadOnlyList<MappingEntry> Entries, int Line, int Column) : ConfigNode(Line, Column)
{
    /// <inheritdoc />
    public override string Describe() => "a mapping";

    /// <summary>The entry with key <paramref name="key"/>, or null.</summary>
    public MappingEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }

        return null;
    }
}

/// <summary>One key/value pair of a <see cref="MappingNode"/>. Keys are always untagged scalars.</summary>
internal sealed record MappingEntry(ScalarNode Key, ConfigNode Value);
