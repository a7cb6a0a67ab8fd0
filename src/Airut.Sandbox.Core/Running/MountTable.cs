using System.Text;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// The host's mounts as <c>/proc/self/mountinfo</c> lists them: where each filesystem is mounted and its type. Used to
/// tell whether a directory is a filesystem of its own (RES-03).
/// </summary>
public sealed class MountTable
{
    private readonly IReadOnlyList<MountTableEntry> _entries;

    private MountTable(IReadOnlyList<MountTableEntry> entries) => _entries = entries;

    /// <summary>Every mount, in the order listed (later mounts hide earlier ones at the same point).</summary>
    public IReadOnlyList<MountTableEntry> Entries => _entries;

    /// <summary>Reads this process's mount table.</summary>
    /// <exception cref="IOException"><c>/proc/self/mountinfo</c> cannot be read.</exception>
    public static async Task<MountTable> ReadAsync(CancellationToken cancellationToken) =>
        Parse(await File.ReadAllTextAsync("/proc/self/mountinfo", cancellationToken).ConfigureAwait(false));

    /// <summary>Parses mountinfo text; malformed lines are skipped.</summary>
    public static MountTable Parse(string mountinfo)
    {
        ArgumentNullException.ThrowIfNull(mountinfo);
        var entries = new List<MountTableEntry>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw": field 5 is the mount point, then
            // optional fields up to " - ", then the filesystem type and source.
            var fields = line.Split(' ');
            var separator = fields.Length < 7 ? -1 : Array.IndexOf(fields, "-", 6);
            if (separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }

            entries.Add(new MountTableEntry(Unescape(fields[4]), Unescape(fields[separator + 1]), Unescape(fields[separator + 2])));
        }

        return new MountTable(entries);
    }

    /// <summary>
    /// The mount that holds <paramref name="path"/> (an absolute path without symbolic links): the deepest mount point
    /// on the path, and of several mounts at that point the last, which hides the others.
    /// </summary>
    public MountTableEntry? Containing(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        MountTableEntry? holder = null;
        foreach (var entry in _entries)
        {
            if (IsUnder(path, entry.MountPoint) && (holder is null || entry.MountPoint.Length >= holder.MountPoint.Length))
            {
                holder = entry;
            }
        }

        return holder;
    }

    /// <summary>The mounts strictly below <paramref name="path"/>.</summary>
    public IEnumerable<MountTableEntry> Below(string path) =>
        _entries.Where(e => e.MountPoint != path && IsUnder(e.MountPoint, path));

    private static bool IsUnder(string path, string directory) =>
        directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>mountinfo writes space, tab, newline and backslash as <c>\040</c>, <c>\011</c>, <c>\012</c>, <c>\134</c>.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}

/// <summary>One line of the mount table.</summary>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="FileSystemType">Its type (<c>tmpfs</c>, <c>ext4</c>, …).</param>
/// <param name="Source">What is mounted (a device, or a name such as <c>tmpfs</c>).</param>
public sealed record MountTableEntry(string MountPoint, string FileSystemType, string Source);
