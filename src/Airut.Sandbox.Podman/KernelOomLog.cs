using Airut.Sandbox.Podman.Processes;

namespace Airut.Sandbox.Podman;

/// <summary>
/// Finds memory-cgroup OOM kills of a container in the kernel log. podman 4.3 with conmon on a cgroup v1/v2
/// hybrid host never sets <c>State.OOMKilled</c> although the kernel killed the process for exceeding the
/// container's limit; the kernel's <c>oom-kill:</c> record names the container's memory cgroup
/// (<c>oom_memcg=/…/libpod-&lt;id&gt;</c>), which is authoritative.
/// </summary>
internal sealed class KernelOomLog(ProcessRunner dmesg)
{
    /// <summary>True when the kernel log holds an OOM kill inside the container's memory cgroup.</summary>
    /// <remarks>Reading the kernel log needs root (kernel.dmesg_restrict); without it the answer is false.</remarks>
    public async Task<bool> HasOomKillAsync(string containerId, CancellationToken cancellationToken)
    {
        if (containerId.Length < 12)
        {
            return false;
        }

        var result = await dmesg.RunAsync([], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return false;
        }

        var cgroup = "libpod-" + containerId;
        foreach (var line in result.Stdout.ToString().Split('\n'))
        {
            if (line.Contains("oom-kill:", StringComparison.Ordinal)
                && (line.Contains("oom_memcg=", StringComparison.Ordinal) || line.Contains("task_memcg=", StringComparison.Ordinal))
                && line.Contains(cgroup, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
