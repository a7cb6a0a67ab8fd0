using Airut.Sandbox.Core.Running;

namespace Airut.Sandbox.Core.Tests.Fakes;

/// <summary>A made-up process table: pid → start time.</summary>
internal sealed class FakeProcessIdentityReader : IProcessIdentityReader
{
    public FakeProcessIdentityReader(ProcessIdentity current)
    {
        Current = current;
        StartTimes[current.Pid] = current.StartTime;
    }

    public Dictionary<int, ulong> StartTimes { get; } = [];

    public ProcessIdentity Current { get; }

    public ulong? ReadStartTime(int pid) => StartTimes.TryGetValue(pid, out var start) ? start : null;
}
