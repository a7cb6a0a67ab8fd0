using System.Security.Cryptography;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// A run's unique id: 12 lower-case hex characters from a CSPRNG. Unique per run so that concurrent runs on one
/// host never share names (SEC-14, SEC-38), and safe in resource names and argv (CFG-05: no leading dash, no newline).
/// </summary>
public sealed record RunId
{
    private RunId(string value) => Value = value;

    /// <summary>The id text.</summary>
    public string Value { get; }

    /// <summary>A fresh random id.</summary>
    public static RunId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));

    /// <summary>Parses an id read back from a label or directory name; null when it is not one.</summary>
    public static RunId? TryParse(string? text) =>
        text is { Length: 12 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f') ? new RunId(text) : null;

    /// <inheritdoc />
    public override string ToString() => Value;
}
