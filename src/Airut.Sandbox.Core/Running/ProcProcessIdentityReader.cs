using System.Globalization;

namespace Airut.Sandbox.Core.Running;

/// <summary>Reads process identities from Linux <c>/proc</c>.</summary>
public sealed class ProcProcessIdentityReader : IProcessIdentityReader
{
    private readonly Lazy<ProcessIdentity> _current;

    /// <summary>Creates the reader.</summary>
    public ProcProcessIdentityReader()
    {
        _current = new Lazy<ProcessIdentity>(ReadCurrent);
    }

    /// <inheritdoc />
    public ProcessIdentity Current => _current.Value;

    /// <inheritdoc />
    public ulong? ReadStartTime(int pid)
    {
        try
        {
            return ProcStat.ParseStartTime(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private ProcessIdentity ReadCurrent()
    {
        var pid = Environment.ProcessId;
        var start = ReadStartTime(pid) ?? throw new InvalidOperationException("Cannot read this process's start time from /proc/self/stat.");
        var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget ?? "unknown";
        return new ProcessIdentity(Environment.MachineName, pid, start, bootId, pidNamespace);
    }
}
