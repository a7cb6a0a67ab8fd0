using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// The validation rules of <c>resource_limits</c> (CFG-51) that also apply outside the file: <c>run --timeout N</c>
/// goes through the same <c>&gt;= 10</c> check (CFG-55), and a failure is a configuration error (exit 125), not a crash.
/// </summary>
public static class ResourceLimitRules
{
    /// <summary>The smallest timeout accepted, in seconds.</summary>
    public const int MinimumTimeoutSeconds = 10;

    /// <summary>The message for a timeout below the minimum, or null when <paramref name="seconds"/> is acceptable.</summary>
    public static string? CheckTimeout(long seconds) =>
        seconds < MinimumTimeoutSeconds ? $"Timeout must be >= {MinimumTimeoutSeconds}s: {seconds}" : null;

    /// <summary>
    /// <paramref name="limits"/> with the timeout replaced by a command-line override and every other field kept (CFG-55).
    /// </summary>
    /// <exception cref="SandboxConfigurationException">The override is below <see cref="MinimumTimeoutSeconds"/>.</exception>
    public static ResourceLimits WithTimeoutOverride(ResourceLimits limits, int seconds, string optionName = "--timeout")
    {
        ArgumentNullException.ThrowIfNull(limits);
        return CheckTimeout(seconds) is { } problem
            ? throw new SandboxConfigurationException(problem, key: optionName)
            : limits with { Timeout = TimeSpan.FromSeconds(seconds) };
    }
}
