using Microsoft.Extensions.Logging;

/// <summary>
/// Writes each log entry as one line to stdout, in the simple console format
/// (<c>info: Category[EventId] message</c>), synchronously under a lock. The proxy logs rarely by default (warnings,
/// and the DNS responder's two start lines; per-request lines only in the debug mode), so this replaces the console logger, whose options, configuration binding,
/// dependency-injection container and queue thread cost a noticeable share of start-up (bench/README.md).
/// </summary>
internal sealed class StdoutLineLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _output;
    private readonly Lock _gate = new();

    public StdoutLineLoggerProvider(TextWriter output) => _output = output;

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void WriteLine(string line)
    {
        try
        {
            lock (_gate)
            {
                _output.WriteLine(line);
                _output.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // stdout is gone (the runner stopped reading): logging must not take the proxy down.
        }
    }

    private sealed class LineLogger(StdoutLineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Levels are filtered by the LoggerFactory's rules before an entry gets here.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var line = $"{Label(logLevel)}: {category}[{eventId.Id}] {message}";
            provider.WriteLine(exception is null ? line : $"{line} {exception}");
        }

        private static string Label(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
