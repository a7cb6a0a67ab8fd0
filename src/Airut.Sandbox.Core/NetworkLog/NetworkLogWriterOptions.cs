namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>Where the network log goes and how large it may grow.</summary>
public sealed record NetworkLogWriterOptions
{
    /// <summary>The default size cap: 64 MiB.</summary>
    public const long DefaultSizeCapBytes = 64L * 1024 * 1024;

    /// <summary>The log file; created (mode 0600) when missing, otherwise appended to.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// No line is added once the file holds this many bytes, apart from one final
    /// <see cref="NetworkLogLines.SizeCapReachedText"/> line (RES-06). Lines still go to the stdout sink.
    /// </summary>
    public long SizeCapBytes { get; init; } = DefaultSizeCapBytes;
}
