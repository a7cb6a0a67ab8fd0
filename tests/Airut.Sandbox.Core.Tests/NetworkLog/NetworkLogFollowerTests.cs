using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.NetworkLog;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class NetworkLogFollowerTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    [Trait("Spec", "LOG-17")]
    public async Task LOG_17_follower_yields_lines_as_they_are_written_and_drains_on_stop()
    {
        var path = temp.File("net.log");
        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path });
        writer.Write(new NetworkLogLine("before", Loud: false));
        var follower = new NetworkLogFollower(new NetworkLogReader(path), TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        var secondSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var following = Task.Run(async () =>
        {
            await foreach (var line in follower.FollowAsync(0, stop.Token))
            {
                seen.Add(line);
                if (line == "second")
                {
                    secondSeen.SetResult();
                }
            }
        });

        writer.Write(new NetworkLogLine("second", Loud: false));
        await secondSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Written and stopped at once: the final read after the stop still picks these up.
        writer.Write(new NetworkLogLine("third", Loud: false));
        writer.Write(new NetworkLogLine("fourth", Loud: false));
        await stop.CancelAsync();
        await following.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["before", "second", "third", "fourth"], seen);
    }

    [Fact]
    [Trait("Spec", "LOG-17")]
    public async Task LOG_17_follower_waits_for_a_file_that_does_not_exist_yet()
    {
        var path = temp.File("later.log");
        var follower = new NetworkLogFollower(new NetworkLogReader(path), TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        var gotLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var following = Task.Run(async () =>
        {
            await foreach (var line in follower.FollowAsync(0, stop.Token))
            {
                seen.Add(line);
                gotLine.TrySetResult();
            }
        });
        await File.WriteAllTextAsync(path, "=== TASK START 2026-01-01T00:00:00Z ===\n");
        await gotLine.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await following.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["=== TASK START 2026-01-01T00:00:00Z ==="], seen);
    }

    [Fact]
    [Trait("Spec", "LOG-17")]
    public void LOG_17_default_poll_interval_is_half_a_second()
    {
        var follower = new NetworkLogFollower(new NetworkLogReader(temp.File("x.log")));

        Assert.Equal(TimeSpan.FromMilliseconds(500), follower.PollInterval);
    }
}
