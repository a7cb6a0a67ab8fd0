namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Clears the setuid and setgid bits of files under a directory the sandboxed command could write (CT-05). A rootful
/// engine without a user namespace runs the command as host uid 0, so <c>chmod 4755</c> on a copied shell in the
/// workspace would leave a root-owned setuid binary on the host. Podman mounts such directories <c>nosuid,nodev</c>,
/// but Docker's bind mounts accept neither option, so the runner sweeps after the client container is gone.
/// Device nodes need no sweep: the client has no <c>CAP_MKNOD</c>.
/// </summary>
public static class PlantedPrivilegeSweeper
{
    private const UnixFileMode Privileged = UnixFileMode.SetUser | UnixFileMode.SetGroup;

    /// <summary>Clears the bits under <paramref name="directory"/> without following symbolic links, and returns the
    /// paths of the files it changed.</summary>
    public static IReadOnlyList<string> Sweep(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var changed = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            return changed;
        }

        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(directory));
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos("*", options))
            {
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is DirectoryInfo child)
                {
                    pending.Push(child);
                }

                if ((entry.UnixFileMode & Privileged) != 0)
                {
                    File.SetUnixFileMode(entry.FullName, entry.UnixFileMode & ~Privileged);
                    changed.Add(entry.FullName);
                }
            }
        }

        return changed;
    }
}
