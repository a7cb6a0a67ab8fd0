using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Images;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "IMG-11")]
public sealed class ImageBuildDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public void IMG_11_missing_image_is_built_with_the_layer_cache_even_when_max_age_is_zero()
    {
        var decision = ImageBuildDecision.Decide(null, Now, TimeSpan.Zero, force: true);
        Assert.Equal(ImageBuildAction.Build, decision.Action);
        Assert.False(decision.NoCache);
        Assert.Equal("not found, building (no_cache=False)", decision.Reason);
    }

    [Fact]
    public void IMG_11_fresh_image_is_reused()
    {
        var decision = ImageBuildDecision.Decide(Now.AddHours(-2), Now, Day, force: false);
        Assert.Equal(ImageBuildAction.Reuse, decision.Action);
        Assert.Equal("age 2h0m <= 24h max, reusing", decision.Reason);
    }

    [Fact]
    public void IMG_11_age_exactly_equal_to_max_age_is_still_fresh_strictly_greater_rebuilds()
    {
        Assert.Equal(ImageBuildAction.Reuse, ImageBuildDecision.Decide(Now - Day, Now, Day, force: false).Action);
        var stale = ImageBuildDecision.Decide(Now - Day - TimeSpan.FromSeconds(1), Now, Day, force: false);
        Assert.Equal(ImageBuildAction.Rebuild, stale.Action);
        Assert.True(stale.NoCache);
        Assert.Equal("age 24h0m > 24h max, rebuilding (no_cache=True)", stale.Reason);
    }

    [Fact]
    public void IMG_11_force_rebuilds_a_fresh_image_without_cache()
    {
        var decision = ImageBuildDecision.Decide(Now.AddMinutes(-1), Now, Day, force: true);
        Assert.Equal(ImageBuildAction.Rebuild, decision.Action);
        Assert.Equal("age 1m0s, force-rebuilding (no_cache=True)", decision.Reason);
    }

    [Fact]
    public void IMG_11_max_age_zero_or_negative_always_rebuilds()
    {
        Assert.Equal(ImageBuildAction.Rebuild, ImageBuildDecision.Decide(Now, Now, TimeSpan.Zero, force: false).Action);
        Assert.Equal(ImageBuildAction.Rebuild, ImageBuildDecision.Decide(Now, Now, TimeSpan.FromHours(-1), force: false).Action);
    }

    [Theory]
    [Trait("Spec", "IMG-14")]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m0s")]
    [InlineData(3599, "59m59s")]
    [InlineData(3600, "1h0m")]
    [InlineData(90061, "25h1m")]
    [InlineData(-5, "0s")]
    public void IMG_14_ages_format_as_hours_minutes_seconds(int seconds, string expected)
    {
        Assert.Equal(expected, ImageBuildDecision.FormatAge(TimeSpan.FromSeconds(seconds)));
    }
}
