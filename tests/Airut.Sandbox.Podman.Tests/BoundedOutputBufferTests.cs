using System.Text;
using Airut.Sandbox.Podman.Processes;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Podman.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class BoundedOutputBufferTests
{
    [Fact]
    public void RES_05_keeps_at_most_the_limit_and_counts_the_rest()
    {
        var buffer = new BoundedOutputBuffer(5);

        buffer.Append("abc"u8);
        buffer.Append("defgh"u8);

        Assert.Equal("abcde", buffer.ToString());
        Assert.Equal(8, buffer.TotalBytes);
        Assert.True(buffer.Truncated);
    }

    [Fact]
    public void Output_under_the_limit_is_kept_whole()
    {
        var buffer = new BoundedOutputBuffer(64);

        buffer.Append(Encoding.UTF8.GetBytes("héllo\n"));

        Assert.Equal("héllo\n", buffer.ToString());
        Assert.False(buffer.Truncated);
    }
}
