using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Cli;

/// <summary>
/// The CLI's one log handler (CLI-20): stderr, or a file opened for append. Lines read
/// <c>YYYY-MM-DD HH:MM:SS [LEVEL] logger: message</c>. Our logs never go to stdout, which carries only the
/// sandboxed command's output.
/// </summary>
internal sealed class CliLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public CliLoggerProvider(TextWriter writer, bool ownsWriter, LogLevel minimum, TimeProvider time)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
        _minimum = minimum;
        _time = time;
    }

    /// <summary>The level for the flags: WARNING by default, INFO with --verbose, DEBUG with --debug (debug wins).</summary>
    public static LogLevel LevelFor(bool verbose, bool debug) =>
        debug ? LogLevel.Debug : verbose ? LogLevel.Information : LogLevel.Warning;

    /// <summary>Opens <paramref name="path"/> for append (parents created), or uses stderr when null.</summary>
    public static CliLoggerProvider Create(string? path, LogLevel minimum, TimeProvider time)
    {
        if (path is null)
        {
            return new CliLoggerProvider(Console.Error, ownsWriter: false, minimum, time);
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        return new CliLoggerProvider(new StreamWriter(stream) { AutoFlush = true }, ownsWriter: true, minimum, time);
    }

    public ILogger CreateLogger(string categoryName) => new CliLogger(this, categoryName);

    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var timestamp = _time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var line = $"{timestamp} [{Name(level)}] {category}: {message}";
        if (exception is not null && level <= LogLevel.Debug)
        {
            line += Environment.NewLine + exception;
        }

        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    private sealed class CliLogger(CliLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
