namespace Airut.Sandbox.Proxy.Dns;

/// <summary>
/// Bounds the <c>[dns] error:</c> lines a client can cause: at most a fixed number per one-second window. Without
/// it every malformed datagram would add a line to the proxy's stdout, which the container engine keeps on the
/// host's disk (RES-06).
/// </summary>
public sealed class DnsErrorThrottle
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly int maxPerWindow;
    private readonly TimeProvider timeProvider;
    private readonly Lock gate = new();
    private DateTimeOffset windowStart = DateTimeOffset.MinValue;
    private int reported;
    private int suppressed;

    /// <summary>Creates a throttle.</summary>
    /// <param name="maxPerWindow">Errors reported per second; the rest are counted.</param>
    /// <param name="timeProvider">The clock.</param>
    public DnsErrorThrottle(int maxPerWindow, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerWindow);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.maxPerWindow = maxPerWindow;
        this.timeProvider = timeProvider;
    }

    /// <summary>Decides whether one more error is reported.</summary>
    /// <param name="suppressedBefore">When reporting the first error of a new window: how many errors the previous
    /// windows suppressed (to be reported as a count); otherwise 0.</param>
    /// <returns>True to report this error.</returns>
    public bool ShouldReport(out int suppressedBefore)
    {
        lock (gate)
        {
            suppressedBefore = 0;
            var now = timeProvider.GetUtcNow();
            if (now - windowStart >= Window)
            {
                windowStart = now;
                reported = 0;
                suppressedBefore = suppressed;
                suppressed = 0;
            }

            if (reported < maxPerWindow)
            {
                reported++;
                return true;
            }

            suppressed++;
            suppressedBefore = 0;
            return false;
        }
    }
}
