namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary><c>resource_limits</c> (CFG-50..CFG-54). A null field imposes no limit.</summary>
/// <param name="Timeout">Wall-clock limit for the command (at least 10 s).</param>
/// <param name="MemoryBytes">Memory limit in bytes; swap is set equal so there is no swap.</param>
/// <param name="MemoryText">The memory limit as written (<c>512m</c>), for runtime flags and messages.</param>
/// <param name="Cpus">CPU limit (at least 0.01).</param>
/// <param name="PidsLimit">Maximum number of processes (at least 1).</param>
public sealed record ResourceLimits(
    TimeSpan? Timeout = null,
    long? MemoryBytes = null,
    string? MemoryText = null,
    double? Cpus = null,
    int? PidsLimit = null)
{
    /// <summary>No limits.</summary>
    public static ResourceLimits None { get; } = new();
}
