using Airut.Sandbox.Core.Threading;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class KeyedAsyncLockTests
{
    [Fact]
    public async Task The_same_key_waits_and_another_key_does_not()
    {
        var locks = new KeyedAsyncLock();
        var held = await locks.AcquireAsync("a", default);
        var sameKey = locks.AcquireAsync("a", default);
        var otherKey = locks.AcquireAsync("b", default);

        Assert.True(otherKey.IsCompletedSuccessfully);
        await Task.Delay(50);
        Assert.False(sameKey.IsCompleted);
        held.Dispose();
        (await sameKey).Dispose();
        (await otherKey).Dispose();
    }

    [Fact]
    public async Task A_cancelled_waiter_does_not_keep_or_break_the_lock()
    {
        var locks = new KeyedAsyncLock();
        var held = await locks.AcquireAsync("a", default);
        using var cancel = new CancellationTokenSource();
        var waiter = locks.AcquireAsync("a", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        held.Dispose();
        held.Dispose();
        using var again = await locks.AcquireAsync("a", default).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
