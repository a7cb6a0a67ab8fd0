using System.Text;
using Airut.Sandbox.Abstractions.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// Writes the network log file (LOG-2): each line is one <c>O_APPEND</c> write, so lines from many threads and
/// from the DNS responder and HTTP proxy in separate processes never interleave, and nothing is buffered in the
/// process. Loud lines also go to a stdout sink (LOG-13). <see cref="Write"/> never throws: a failing log must
/// not take the proxy down (DNS-7 "write errors are ignored"); the first failure is reported to the logger.
/// </summary>
public sealed partial class NetworkLogWriter : INetworkLog, IDisposable
{
    // Enough of the file's tail to find a cap line another writer already wrote.
    private const int CapLineSearchWindow = 4096;

    private readonly AppendOnlyFile file;
    private readonly long sizeCap;
    private readonly TextWriter? loudSink;
    private readonly ILogger logger;
    private readonly Lock sinkLock = new();
    private readonly Lock capLock = new();
    private readonly string path;
    private int failureReported;
    private volatile bool capReached;

    /// <summary>Opens the log file for appending.</summary>
    /// <param name="options">Path and size cap.</param>
    /// <param name="loudSink">Where loud lines are copied (the proxy's stdout), or null for none.</param>
    /// <param name="logger">Receives the first write failure.</param>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public NetworkLogWriter(NetworkLogWriterOptions options, TextWriter? loudSink = null, ILogger<NetworkLogWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SizeCapBytes);
        path = options.Path;
        sizeCap = options.SizeCapBytes;
        this.loudSink = loudSink;
        this.logger = logger ?? NullLogger<NetworkLogWriter>.Instance;
        file = AppendOnlyFile.Open(options.Path);
    }

    /// <inheritdoc />
    public void Write(NetworkLogLine line)
    {
        if (line is null)
        {
            return;
        }

        // Builders escape already; this catches a caller that built a line by hand. Escaping is idempotent.
        var text = NetworkLogEscaping.EscapeText(line.Text);
        if (line.Loud)
        {
            WriteToSink(text);
        }

        AppendToFile(text);
    }

    /// <inheritdoc />
    public void Dispose() => file.Dispose();

    private void AppendToFile(string text)
    {
        if (capReached)
        {
            return;
        }

        try
        {
            if (file.Length >= sizeCap)
            {
                ReachCap();
                return;
            }

            file.Append(Encoding.UTF8.GetBytes(text + "\n"));
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            ReportFailure(exception);
        }
    }

    private void ReachCap()
    {
        lock (capLock)
        {
            if (capReached)
            {
                return;
            }

            capReached = true;
        }

        var capLine = NetworkLogLines.SizeCapReached();
        WriteToSink(capLine.Text);
        if (!CapLineAlreadyWritten())
        {
            file.Append(Encoding.UTF8.GetBytes(capLine.Text + "\n"));
        }
    }

    // Another process appending to the same file may have hit the cap first; its cap line is then the last one.
    private bool CapLineAlreadyWritten()
    {
        try
        {
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = Math.Max(0, reader.Length - CapLineSearchWindow);
            var buffer = new byte[reader.Length - start];
            reader.Position = start;
            reader.ReadExactly(buffer);
            return Encoding.UTF8.GetString(buffer).Contains(NetworkLogLines.SizeCapReachedText + "\n", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void WriteToSink(string text)
    {
        if (loudSink is null)
        {
            return;
        }

        try
        {
            lock (sinkLock)
            {
                loudSink.WriteLine(text);
                loudSink.Flush();
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            ReportFailure(exception);
        }
    }

    private void ReportFailure(Exception exception)
    {
        if (Interlocked.Exchange(ref failureReported, 1) == 0)
        {
            LogWriteFailed(logger, path, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the network log {Path} failed; further failures are not reported.")]
    private static partial void LogWriteFailed(ILogger logger, string path, Exception exception);
}
