namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary><c>resource_limits</c> (CFG-50..CFG-54). A null field imposes no limit.</summary>
/// <param name="Timeout">Wall-clock limit for the command (at least 10 s).</param>
/// <param name="MemoryBytes">Memory limit in bytes; swap is set equal so there is no swap.</param>
/// <param name="MemoryText">The memory limit as written (<c>512m</c>), for runtime flags and messages.</param>
/// <param name="Cpus">CPU limit (at least 0.01).</param>
/// <param name="PidsLimit">Maximum number of processes (at least 1).</param>
/// <param name="DiskBytes">
/// The most the command may write to any one place (RES-03): the image's filesystem becomes read-only, the scratch
/// directories are tmpfs of this size, and every writable mount must be its own filesystem with at most this much
/// space available, or the run is refused.
/// </param>
/// <param name="DiskText">The disk limit as written (<c>2g</c>), for messages.</param>
/// <param name="DiskLocation">Where the disk limit is written, for the message of a refused run.</param>
public sealed record ResourceLimits(
    TimeSpan? Timeout = null,
    long? MemoryBytes = null,
    string? MemoryText = null,
    double? Cpus = null,
    int? PidsLimit = null,
    long? DiskBytes = null,
    string? DiskText = null,
    SourceLocation? DiskLocation = null)
{
    /// <summary>No limits.</summary>
    public static ResourceLimits None { get; } = new();
}
