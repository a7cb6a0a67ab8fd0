using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Abstractions.Errors;

/// <summary>
/// Bad input in <c>.airut/</c> or on the command line. Nothing was started. The CLI maps it to exit 125.
/// The message names the file, line, column and key; it never contains a secret value.
/// </summary>
public sealed class SandboxConfigurationException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and how to fix it, without the location prefix.</param>
    /// <param name="location">Where, when known.</param>
    /// <param name="key">The dotted key path (<c>masked_secrets.TOKEN.scopes</c>), when known.</param>
    public SandboxConfigurationException(string message, SourceLocation? location = null, string? key = null)
        : base(Format(message, location, key))
    {
        Detail = message;
        Location = location;
        Key = key;
    }

    /// <summary>The message without location and key.</summary>
    public string Detail { get; }

    /// <summary>Where the problem is, when known.</summary>
    public SourceLocation? Location { get; }

    /// <summary>The dotted key path, when known.</summary>
    public string? Key { get; }

    private static string Format(string message, SourceLocation? location, string? key)
    {
        var prefix = location is null ? string.Empty : location + ": ";
        var keyPart = key is null ? string.Empty : key + ": ";
        return prefix + keyPart + message;
    }
}
