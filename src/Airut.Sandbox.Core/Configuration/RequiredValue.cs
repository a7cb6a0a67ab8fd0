namespace Airut.Sandbox.Core.Configuration;

/// <summary>A resolved required value (CFG-11): its text, and the host variable it came from when written as <c>!env NAME</c>.</summary>
/// <param name="Text">The value. May be <c>""</c>.</param>
/// <param name="EnvName">The <c>!env</c> variable name, or null for a literal.</param>
internal sealed record RequiredValue(string Text, string? EnvName)
{
    /// <inheritdoc />
    /// <remarks>Never prints the value: it is often a secret.</remarks>
    public override string ToString() => EnvName is null ? "literal ***" : $"!env {EnvName} ***";
}
