using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>Reads a network log file from the host side (LOG-16). Never throws for a missing or unreadable file.</summary>
public sealed partial class NetworkLogReader
{
    /// <summary>The most bytes one <see cref="Tail"/> call reads; the caller calls again for the rest.</summary>
    public const int MaxChunkBytes = 4 * 1024 * 1024;

    private readonly ILogger logger;

    /// <summary>Creates a reader for one file.</summary>
    /// <param name="path">The network log file.</param>
    /// <param name="logger">Receives read failures.</param>
    public NetworkLogReader(string path, ILogger<NetworkLogReader>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        this.logger = logger ?? NullLogger<NetworkLogReader>.Instance;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>Whether the file exists.</summary>
    public bool Exists() => File.Exists(Path);

    /// <summary>The whole file, or the empty string when it is missing or unreadable.</summary>
    public string ReadRaw()
    {
        try
        {
            using var stream = OpenForReading();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogReadFailed(logger, Path, exception);
            return string.Empty;
        }
    }

    /// <summary>
    /// Reads the complete lines after <paramref name="offset"/>. A trailing partial line (no newline yet) is held
    /// back until it is complete [H]; empty lines are dropped. Missing file: no lines, offset 0. Nothing new or a
    /// read error: no lines, the same offset. A file shorter than the offset was replaced: reading restarts at 0.
    /// </summary>
    /// <param name="offset">The byte offset returned by the previous call, or 0.</param>
    /// <returns>The lines and the next offset.</returns>
    public NetworkLogTail Tail(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        try
        {
            using var stream = OpenForReading();
            var length = stream.Length;
            if (length < offset)
            {
                LogFileShrank(logger, Path, offset, length);
                offset = 0;
            }

            if (length == offset)
            {
                return new NetworkLogTail([], offset);
            }

            var buffer = new byte[(int)Math.Min(length - offset, MaxChunkBytes)];
            var read = RandomAccess.Read(stream.SafeFileHandle, buffer, offset);
            if (read <= 0)
            {
                return new NetworkLogTail([], offset);
            }

            var consumed = Array.LastIndexOf(buffer, (byte)'\n', read - 1) + 1;
            if (consumed == 0)
            {
                // A single line longer than a whole chunk is returned in pieces rather than never.
                if (read < MaxChunkBytes)
                {
                    return new NetworkLogTail([], offset);
                }

                consumed = read;
            }

            var lines = Encoding.UTF8.GetString(buffer, 0, consumed)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return new NetworkLogTail(lines, offset + consumed);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return new NetworkLogTail([], 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogReadFailed(logger, Path, exception);
            return new NetworkLogTail([], offset);
        }
    }

    private FileStream OpenForReading() =>
        new(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the network log {Path} failed.")]
    private static partial void LogReadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The network log {Path} is shorter ({Length} bytes) than the read offset {Offset}; reading it again from the start.")]
    private static partial void LogFileShrank(ILogger logger, string path, long offset, long length);
}
