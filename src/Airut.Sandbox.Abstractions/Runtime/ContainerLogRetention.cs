namespace Airut.Sandbox.Abstractions.Runtime;

/// <summary>
/// How much of a container's stdout/stderr the engine may keep in its own log on the host disk. Engines keep that log
/// without a size limit by default, so a container that floods its output would fill the host's disk for as long as
/// it runs (attacks.md RES-03, RES-06). Output read through attach is not affected: it never goes through this log.
/// </summary>
public sealed record ContainerLogRetention
{
    /// <summary>The smallest cap accepted: room for a few of the engines' output chunks (Docker splits at 16 KiB).</summary>
    public const long MinimumCapBytes = 64 * 1024;

    /// <summary>The cap of <see cref="Default"/>.</summary>
    public const long DefaultCapBytes = 8 * 1024 * 1024;

    private ContainerLogRetention(long maxBytes) => MaxBytes = maxBytes;

    /// <summary>The engine keeps nothing; <see cref="IContainerRuntime.GetLogsAsync"/> fails for such a container.</summary>
    public static ContainerLogRetention None { get; } = new(0);

    /// <summary>A log capped at <see cref="DefaultCapBytes"/>: bounded, yet readable through <see cref="IContainerRuntime.GetLogsAsync"/>.</summary>
    public static ContainerLogRetention Default { get; } = new(DefaultCapBytes);

    /// <summary>The most bytes the engine's log files of this container take on disk together; 0 for <see cref="None"/>.</summary>
    /// <remarks>An engine may exceed it by part of one output chunk before it truncates or rotates.</remarks>
    public long MaxBytes { get; }

    /// <summary>True when the engine keeps no log at all.</summary>
    public bool KeepsNothing => MaxBytes == 0;

    /// <summary>A log of at most <paramref name="maxBytes"/> bytes; older output is dropped first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is below <see cref="MinimumCapBytes"/>.</exception>
    public static ContainerLogRetention Capped(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, MinimumCapBytes);
        return new ContainerLogRetention(maxBytes);
    }
}
