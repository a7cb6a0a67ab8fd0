using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Airut.Sandbox.Core;

/// <summary>Validates <see cref="SandboxOptions"/>; every failure names the option.</summary>
public sealed partial class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!ResourceName().IsMatch(options.ResourcePrefix ?? string.Empty))
        {
            failures.Add($"{nameof(SandboxOptions.ResourcePrefix)} '{options.ResourcePrefix}' must be lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        if (string.IsNullOrEmpty(options.RunDirectoryRoot) || !Path.IsPathFullyQualified(options.RunDirectoryRoot))
        {
            failures.Add($"{nameof(SandboxOptions.RunDirectoryRoot)} must be an absolute path.");
        }

        if (options.CacheDirectory is not null && !Path.IsPathFullyQualified(options.CacheDirectory))
        {
            failures.Add($"{nameof(SandboxOptions.CacheDirectory)} must be an absolute path.");
        }

        if (string.IsNullOrEmpty(options.ProxyBaseImage) || options.ProxyBaseImage.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"{nameof(SandboxOptions.ProxyBaseImage)} must be one image reference without whitespace.");
        }

        if (string.IsNullOrEmpty(options.ProxyProgramDirectory))
        {
            failures.Add($"{nameof(SandboxOptions.ProxyProgramDirectory)} is required.");
        }

        if (options.ProxyReadyTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(SandboxOptions.ProxyReadyTimeout)} must be positive.");
        }

        if (options.StopGracePeriod <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(SandboxOptions.StopGracePeriod)} must be positive.");
        }

        if (options.MaxOutputLineLength < 80)
        {
            failures.Add($"{nameof(SandboxOptions.MaxOutputLineLength)} must be at least 80.");
        }

        if (options.SharedEgressNetwork is not null && !ResourceName().IsMatch(options.SharedEgressNetwork))
        {
            failures.Add($"{nameof(SandboxOptions.SharedEgressNetwork)} '{options.SharedEgressNetwork}' is not a valid network name.");
        }

        if (options.ProxyLogLevel is { } level && level is < Microsoft.Extensions.Logging.LogLevel.Trace or > Microsoft.Extensions.Logging.LogLevel.Critical)
        {
            failures.Add($"{nameof(SandboxOptions.ProxyLogLevel)} must be Trace, Debug, Information, Warning, Error or Critical (or unset).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,62}$")]
    private static partial Regex ResourceName();
}
