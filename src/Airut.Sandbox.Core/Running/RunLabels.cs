using System.Globalization;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Labels on every container and network a run creates: which run, and which process owns it. The dead-run
/// sweeper reads them back to decide whether the owner is gone.
/// </summary>
public static class RunLabels
{
    /// <summary>Marks resources managed by Airut.Sandbox; the value is always <c>true</c>.</summary>
    public const string Managed = "org.airut.sandbox.managed";

    /// <summary>The run id.</summary>
    public const string RunIdKey = "org.airut.sandbox.run-id";

    /// <summary>The role: <c>proxy</c>, <c>client</c> or <c>network</c>.</summary>
    public const string Role = "org.airut.sandbox.role";

    /// <summary>The owner's host name.</summary>
    public const string OwnerHost = "org.airut.sandbox.owner-host";

    /// <summary>The owner's pid.</summary>
    public const string OwnerPid = "org.airut.sandbox.owner-pid";

    /// <summary>The owner's start time in clock ticks since boot.</summary>
    public const string OwnerStartTime = "org.airut.sandbox.owner-start-time";

    /// <summary>The owner's boot id.</summary>
    public const string OwnerBootId = "org.airut.sandbox.owner-boot-id";

    /// <summary>The owner's pid namespace.</summary>
    public const string OwnerPidNamespace = "org.airut.sandbox.owner-pid-ns";

    /// <summary>The selector that lists every managed resource.</summary>
    public static IReadOnlyDictionary<string, string> ManagedSelector { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { [Managed] = "true" };

    /// <summary>The labels for a resource of <paramref name="runId"/> owned by <paramref name="owner"/>.</summary>
    public static IReadOnlyDictionary<string, string> For(RunId runId, ProcessIdentity owner, string role)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(owner);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Managed] = "true",
            [RunIdKey] = runId.Value,
            [Role] = role,
            [OwnerHost] = owner.Host,
            [OwnerPid] = owner.Pid.ToString(CultureInfo.InvariantCulture),
            [OwnerStartTime] = owner.StartTime.ToString(CultureInfo.InvariantCulture),
            [OwnerBootId] = owner.BootId,
            [OwnerPidNamespace] = owner.PidNamespace,
        };
    }

    /// <summary>Reads the owner back; null when a label is missing or malformed.</summary>
    public static ProcessIdentity? ReadOwner(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.TryGetValue(OwnerHost, out var host) && host.Length > 0 &&
               labels.TryGetValue(OwnerPid, out var pidText) &&
               int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 &&
               labels.TryGetValue(OwnerStartTime, out var startText) &&
               ulong.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start) &&
               labels.TryGetValue(OwnerBootId, out var bootId) && bootId.Length > 0 &&
               labels.TryGetValue(OwnerPidNamespace, out var pidNamespace) && pidNamespace.Length > 0
            ? new ProcessIdentity(host, pid, start, bootId, pidNamespace)
            : null;
    }
}
