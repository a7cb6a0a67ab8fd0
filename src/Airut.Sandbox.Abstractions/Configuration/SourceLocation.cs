namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>A position in a configuration file, 1-based, for messages a user can act on.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
