namespace Airut.Sandbox.Core.Configuration;

/// <summary>A YAML sequence (list), items in document order.</summary>
internal sealed record SequenceNode(IReadOnlyList<ConfigNode> Items, int Line, int Column) : ConfigNode(Line, Column)
{
    /// <inheritdoc />
    public override string Describe() => "a list";
}
