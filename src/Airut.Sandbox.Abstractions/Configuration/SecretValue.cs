namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>
/// A real secret value (masked secret, AWS key, session token). It never prints itself:
/// <see cref="ToString"/> and record printing show a redaction marker, so a secret cannot reach a
/// log line or an exception message by accident.
/// </summary>
/// <param name="Reveal">The real value. Read it only where the value must be used.</param>
public sealed record SecretValue(string Reveal)
{
    /// <summary>The text shown in place of a secret.</summary>
    public const string Redacted = "***";

    /// <inheritdoc />
    public override string ToString() => Redacted;
}
