namespace Airut.Sandbox.Core.Running;

/// <summary>Judges a run owner (SEC-14, SEC-38 hardened): only a provably dead owner's resources are swept.</summary>
public static class RunOwnership
{
    /// <summary>Judges the owner recorded in <paramref name="owner"/> against the live process table.</summary>
    /// <param name="owner">The recorded owner, or null when it could not be read.</param>
    /// <param name="processes">The process table of this machine.</param>
    public static RunOwnerState Judge(ProcessIdentity? owner, IProcessIdentityReader processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        if (owner is null)
        {
            return RunOwnerState.Unknown;
        }

        var current = processes.Current;
        if (!string.Equals(owner.Host, current.Host, StringComparison.Ordinal))
        {
            // Another machine sharing the engine: its processes cannot be seen from here.
            return RunOwnerState.Unknown;
        }

        if (!string.Equals(owner.BootId, current.BootId, StringComparison.Ordinal))
        {
            // Every process of an earlier boot is gone.
            return RunOwnerState.Dead;
        }

        if (!string.Equals(owner.PidNamespace, current.PidNamespace, StringComparison.Ordinal))
        {
            // Pids of another namespace cannot be looked up from here.
            return RunOwnerState.Unknown;
        }

        var startTime = processes.ReadStartTime(owner.Pid);
        return startTime == owner.StartTime ? RunOwnerState.Alive : RunOwnerState.Dead;
    }
}
