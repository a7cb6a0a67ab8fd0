namespace Airut.Sandbox.Core.Running;

/// <summary>Reads process identities, so that tests can judge run owners with made-up process tables.</summary>
public interface IProcessIdentityReader
{
    /// <summary>This process.</summary>
    ProcessIdentity Current { get; }

    /// <summary>The start time of <paramref name="pid"/> in this pid namespace, or null when there is no such process.</summary>
    ulong? ReadStartTime(int pid);
}
