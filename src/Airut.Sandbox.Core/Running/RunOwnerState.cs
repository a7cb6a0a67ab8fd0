namespace Airut.Sandbox.Core.Running;

/// <summary>Whether the process that created a run's resources still runs.</summary>
public enum RunOwnerState
{
    /// <summary>The owner runs: its resources must not be touched.</summary>
    Alive,

    /// <summary>The owner is gone (pid missing, pid reused, or the machine rebooted): its resources are leftovers.</summary>
    Dead,

    /// <summary>It cannot be told (labels missing or malformed, another host, or another pid namespace): leave the resources alone.</summary>
    Unknown,
}
