namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Identifies one process across pid reuse: its pid plus its start time (clock ticks since boot, field 22 of
/// <c>/proc/&lt;pid&gt;/stat</c>), within one boot (<c>/proc/sys/kernel/random/boot_id</c>) and one pid namespace of one host.
/// </summary>
/// <param name="Host">The host name.</param>
/// <param name="Pid">Process id.</param>
/// <param name="StartTime">Start time in clock ticks since boot.</param>
/// <param name="BootId">The kernel's boot id.</param>
/// <param name="PidNamespace">The pid namespace, as <c>readlink /proc/self/ns/pid</c> shows it.</param>
public sealed record ProcessIdentity(string Host, int Pid, ulong StartTime, string BootId, string PidNamespace);
