using System.Diagnostics;

/// <summary>
/// With <c>AIRUT_PROXY_STARTUP_TRACE=1</c>, writes one stderr line per start-up stage with the milliseconds since
/// <c>Main</c> began and since the previous stage (bench/proxy/startup.py --trace reads them); otherwise does nothing.
/// </summary>
internal sealed class StartupTrace
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly bool _enabled = Environment.GetEnvironmentVariable("AIRUT_PROXY_STARTUP_TRACE") == "1";
    private long _last;

    public StartupTrace() => _last = _start;

    public void Mark(string stage)
    {
        if (!_enabled)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Console.Error.WriteLine($"airut-proxy startup {stage} total={Stopwatch.GetElapsedTime(_start, now).TotalMilliseconds:F1}ms step={Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds:F1}ms");
        _last = now;
    }
}
