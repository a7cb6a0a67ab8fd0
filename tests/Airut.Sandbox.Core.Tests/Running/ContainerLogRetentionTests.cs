using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ContainerLogRetentionTests
{
    [Fact]
    [Trait("Spec", "RES-06")]
    public void RES_06_a_container_spec_that_says_nothing_gets_a_capped_log_not_an_unbounded_one()
    {
        var spec = new ContainerSpec { Name = "c", Image = "i" };

        Assert.Equal(ContainerLogRetention.Default, spec.LogRetention);
        Assert.Equal(ContainerLogRetention.DefaultCapBytes, spec.LogRetention.MaxBytes);
        Assert.False(spec.LogRetention.KeepsNothing);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ContainerLogRetention.MinimumCapBytes - 1)]
    [Trait("Spec", "RES-06")]
    public void RES_06_a_cap_below_the_minimum_is_refused_rather_than_read_as_unbounded_or_none(long maxBytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ContainerLogRetention.Capped(maxBytes));
    }

    [Fact]
    public void Caps_of_the_same_size_are_equal_and_none_keeps_nothing()
    {
        Assert.Equal(ContainerLogRetention.Capped(1 << 20), ContainerLogRetention.Capped(1 << 20));
        Assert.NotEqual(ContainerLogRetention.None, ContainerLogRetention.Capped(ContainerLogRetention.MinimumCapBytes));
        Assert.True(ContainerLogRetention.None.KeepsNothing);
        Assert.Equal(0, ContainerLogRetention.None.MaxBytes);
    }
}
