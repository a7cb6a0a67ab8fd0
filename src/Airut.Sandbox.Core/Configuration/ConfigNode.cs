namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// A node of a parsed configuration document, with the 1-based position YamlDotNet's parser reported for
/// its start. Built by <see cref="ConfigDocumentParser"/>: no anchors, aliases or unknown tags survive to here.
/// </summary>
internal abstract record ConfigNode(int Line, int Column)
{
    /// <summary>What the node is, for "expected X, got Y" messages.</summary>
    public abstract string Describe();
}
