using System.Globalization;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// RES-03 for writable bind mounts. Writes through a bind mount land on the host's filesystem, and this kernel offers no
/// quota the runner can set on a directory. So with <c>resource_limits.disk</c> a run starts only when each writable
/// mount (the workspace included) is a filesystem of its own (it is mounted exactly there, with every filesystem below
/// it) holding at most the limit of free space: filling it then fills only that filesystem, and the kernel answers
/// ENOSPC. Anything else is refused before the engine is touched: the limit is never silently not enforced.
/// </summary>
public static class DiskLimitMountCheck
{
    /// <summary>Refuses the run when a writable mount's filesystem could take more than the limit.</summary>
    /// <param name="limits">The run's limits; without a disk limit nothing is checked.</param>
    /// <param name="writableMounts">Host path of each writable mount, with how a message names it (<c>the workspace</c>).</param>
    /// <param name="mounts">The host's mount table.</param>
    /// <param name="availableBytes">Free space a non-root writer can use on the filesystem mounted at a path.</param>
    /// <exception cref="SandboxConfigurationException">A writable mount cannot be held to the limit.</exception>
    public static void Check(
        ResourceLimits limits, IEnumerable<(string HostPath, string Name)> writableMounts, MountTable mounts, Func<string, long> availableBytes)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(writableMounts);
        ArgumentNullException.ThrowIfNull(mounts);
        ArgumentNullException.ThrowIfNull(availableBytes);
        if (limits.DiskBytes is not { } limit)
        {
            return;
        }

        var limitText = limits.DiskText ?? limit.ToString(CultureInfo.InvariantCulture);
        foreach (var (hostPath, name) in writableMounts)
        {
            var path = RealPath(hostPath);
            var holder = mounts.Containing(path);
            if (holder is null || holder.MountPoint != path)
            {
                var on = holder is null ? "no known filesystem" : $"{holder.MountPoint} ({holder.FileSystemType}, {Describe(FreeBytes(limits, holder.MountPoint, availableBytes))} free)";
                throw Refuse(limits, $"{name} {path} is not a filesystem of its own: it is part of {on}, so writes there could take more than the {limitText} disk limit");
            }

            foreach (var entry in mounts.Below(path).Prepend(holder))
            {
                var free = FreeBytes(limits, entry.MountPoint, availableBytes);
                if (free > limit)
                {
                    throw Refuse(limits, $"{name}: the filesystem at {entry.MountPoint} ({entry.FileSystemType}) has {Describe(free)} free, more than the {limitText} disk limit");
                }
            }
        }
    }

    private static long FreeBytes(ResourceLimits limits, string mountPoint, Func<string, long> availableBytes)
    {
        try
        {
            return availableBytes(mountPoint);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Refuse(limits, $"the free space of the filesystem at {mountPoint} cannot be read ({ex.Message})");
        }
    }

    private static SandboxConfigurationException Refuse(ResourceLimits limits, string problem) =>
        new(
            $"{problem}. Put each writable mount on a filesystem of its own with at most that much space (a tmpfs with size=, " +
            "or a loop-mounted image), or remove resource_limits.disk. The run was not started.",
            limits.DiskLocation,
            "resource_limits.disk");

    private static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    /// <summary>The absolute path with every symbolic link resolved, as the engine will see the mount source.</summary>
    private static string RealPath(string path)
    {
        var current = Path.GetFullPath(path);
        for (var hops = 0; hops < 40; hops++)
        {
            var resolved = "/";
            var changed = false;
            foreach (var part in current.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var next = Path.Join(resolved, part);
                var info = new FileInfo(next);
                if (info.LinkTarget is { } target)
                {
                    resolved = Path.GetFullPath(target, Path.GetDirectoryName(next)!);
                    changed = true;
                }
                else
                {
                    resolved = next;
                }
            }

            if (!changed)
            {
                return current;
            }

            current = resolved;
        }

        throw new SandboxConfigurationException($"Too many levels of symbolic links in {path}", key: "resource_limits.disk");
    }
}
