using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>The environment of the running process.</summary>
public sealed class ProcessEnvironmentVariableSource : IEnvironmentVariableSource
{
    /// <inheritdoc />
    public string? GetVariable(string name) =>
        string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal)
            ? null
            : Environment.GetEnvironmentVariable(name);
}
