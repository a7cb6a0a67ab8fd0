using System.Globalization;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>
/// Writes every log line of the run, timestamped, to the test's output: it is shown with a failed test, so a run
/// that hangs or fails on a CI machine says which stage and which engine command it was in.
/// </summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.Message)}");
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // Logged after the test ended (a teardown still running): there is no output left to write to.
            }
        }
    }
}
