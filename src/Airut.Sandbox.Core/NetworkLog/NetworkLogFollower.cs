using System.Runtime.CompilerServices;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// Follows a network log while a sandbox runs (LOG-17): polls the file every <see cref="PollInterval"/> and
/// yields each new complete line; when told to stop it reads once more, so lines written just before the stop
/// are not lost, and then ends.
/// </summary>
public sealed class NetworkLogFollower
{
    /// <summary>The default poll interval, 0.5 s.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);

    private readonly NetworkLogReader reader;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates a follower.</summary>
    /// <param name="reader">Reads the file.</param>
    /// <param name="pollInterval">How often to look for new lines; default 0.5 s.</param>
    /// <param name="timeProvider">The clock the poll waits on; default the system clock.</param>
    public NetworkLogFollower(NetworkLogReader reader, TimeSpan? pollInterval = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        this.reader = reader;
        PollInterval = pollInterval ?? DefaultPollInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(pollInterval));
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How often the file is polled.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>
    /// Yields the lines after <paramref name="startOffset"/> as they are written, until <paramref name="stop"/>
    /// is cancelled; then drains what is left and completes (it does not throw on that cancellation).
    /// </summary>
    /// <param name="startOffset">The byte offset to start at; 0 for the whole file.</param>
    /// <param name="stop">Stops following, after a final read.</param>
    /// <returns>The lines, in file order.</returns>
    public async IAsyncEnumerable<string> FollowAsync(long startOffset = 0, [EnumeratorCancellation] CancellationToken stop = default)
    {
        var offset = startOffset;
        while (true)
        {
            var stopping = stop.IsCancellationRequested;
            while (true)
            {
                var tail = reader.Tail(offset);
                offset = tail.NextOffset;
                if (tail.Lines.Count == 0)
                {
                    break;
                }

                foreach (var line in tail.Lines)
                {
                    yield return line;
                }
            }

            if (stopping)
            {
                yield break;
            }

            try
            {
                await Task.Delay(PollInterval, timeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Loop once more: the next pass reads what is left and ends.
            }
        }
    }
}
