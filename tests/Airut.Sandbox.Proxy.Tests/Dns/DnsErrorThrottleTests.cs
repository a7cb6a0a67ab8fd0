using Airut.Sandbox.Proxy.Dns;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests.Dns;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DnsErrorThrottleTests
{
    [Fact]
    [Trait("Spec", "RES-06")]
    public void RES_06_at_most_the_limit_per_second_is_reported_and_the_rest_is_counted_once()
    {
        var clock = new ManualTimeProvider();
        var throttle = new DnsErrorThrottle(3, clock);

        var first = Enumerable.Range(0, 10).Select(_ => throttle.ShouldReport(out var s) ? s : -1).ToList();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var stillSameWindow = throttle.ShouldReport(out _);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var nextWindow = throttle.ShouldReport(out var suppressed);
        var afterThat = throttle.ShouldReport(out var suppressedAgain);

        Assert.Equal([0, 0, 0, -1, -1, -1, -1, -1, -1, -1], first);
        Assert.False(stillSameWindow);
        Assert.True(nextWindow);
        Assert.Equal(8, suppressed);
        Assert.True(afterThat);
        Assert.Equal(0, suppressedAgain);
    }
}
