using System.Formats.Tar;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Docker;

/// <summary>
/// The build context of one image build, checked up front and then streamed as a tar archive.
/// Regular files, directories and symlinks that stay inside the context go in; anything else is refused
/// (CFG-05): a symlink that points outside, an absolute link target, a device, a fifo or a socket.
/// Symlinks are stored as links, never followed.
/// </summary>
internal sealed class BuildContextArchive
{
    /// <summary>The archive name given to a Dockerfile that lives outside the context.</summary>
    internal const string ExternalDockerfileName = ".airut-build.Dockerfile";

    private readonly IReadOnlyList<Entry> _entries;

    private BuildContextArchive(IReadOnlyList<Entry> entries, string dockerfileName)
    {
        _entries = entries;
        DockerfileName = dockerfileName;
    }

    /// <summary>The Dockerfile's path inside the archive (the build's <c>dockerfile</c> parameter).</summary>
    public string DockerfileName { get; }

    /// <summary>Walks the context and resolves the Dockerfile; throws before anything is sent.</summary>
    /// <param name="contextDirectory">The context root.</param>
    /// <param name="dockerfilePath">Absolute, or relative to the context.</param>
    /// <exception cref="SandboxConfigurationException">The context or Dockerfile is missing or holds something refused.</exception>
    public static BuildContextArchive Create(string contextDirectory, string dockerfilePath)
    {
        var root = Path.GetFullPath(contextDirectory);
        if (!Directory.Exists(root))
        {
            throw new SandboxConfigurationException($"Build context directory not found: {root}");
        }

        var entries = new List<Entry>();
        Walk(root, root, entries);

        var dockerfile = Path.GetFullPath(dockerfilePath, root);
        if (!File.Exists(dockerfile))
        {
            throw new SandboxConfigurationException($"Dockerfile not found: {dockerfile}");
        }

        var relative = Path.GetRelativePath(root, dockerfile);
        var inside = entries.Find(entry => entry.Kind == EntryKind.File && entry.Name == ToArchiveName(relative));
        if (inside is not null)
        {
            return new BuildContextArchive(entries, inside.Name);
        }

        if (entries.Exists(entry => entry.Name.TrimEnd('/') == ExternalDockerfileName))
        {
            throw new SandboxConfigurationException(
                $"Build context {root} already holds '{ExternalDockerfileName}', the name reserved for a Dockerfile from outside the context.");
        }

        entries.Add(new Entry(ExternalDockerfileName, dockerfile, EntryKind.File, null));
        return new BuildContextArchive(entries, ExternalDockerfileName);
    }

    /// <summary>Writes the archive (POSIX pax) to <paramref name="destination"/>, reading files as it goes.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var entry in _entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = new FileInfo(entry.SourcePath);
                var tarEntry = new PaxTarEntry(
                    entry.Kind switch
                    {
                        EntryKind.Directory => TarEntryType.Directory,
                        EntryKind.SymbolicLink => TarEntryType.SymbolicLink,
                        _ => TarEntryType.RegularFile,
                    },
                    entry.Name)
                {
                    // Ownership is normalised to root, as the docker CLI does; the build decides the rest.
                    Uid = 0,
                    Gid = 0,
                    Mode = ModeOf(entry),
                    ModificationTime = info.LastWriteTimeUtc,
                };

                if (entry.Kind == EntryKind.SymbolicLink)
                {
                    tarEntry.LinkName = entry.LinkTarget!;
                    await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
                }
                else if (entry.Kind == EntryKind.File)
                {
                    var data = new FileStream(entry.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                    await using (data.ConfigureAwait(false))
                    {
                        tarEntry.DataStream = data;
                        await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static UnixFileMode ModeOf(Entry entry)
    {
        const UnixFileMode linkMode = (UnixFileMode)0x1FF;
        const UnixFileMode windowsFileMode = (UnixFileMode)0x1A4;
        const UnixFileMode windowsDirectoryMode = (UnixFileMode)0x1ED;
        if (entry.Kind == EntryKind.SymbolicLink)
        {
            return linkMode;
        }

        if (OperatingSystem.IsWindows())
        {
            return entry.Kind == EntryKind.Directory ? windowsDirectoryMode : windowsFileMode;
        }

        return File.GetUnixFileMode(entry.SourcePath);
    }

    private static void Walk(string root, string directory, List<Entry> entries)
    {
        var children = new DirectoryInfo(directory).EnumerateFileSystemInfos()
            .OrderBy(child => child.Name, StringComparer.Ordinal);
        foreach (var child in children)
        {
            var name = ToArchiveName(Path.GetRelativePath(root, child.FullName));
            if (child.LinkTarget is { } target)
            {
                EnsureLinkStaysInside(root, child, target);
                entries.Add(new Entry(name, child.FullName, EntryKind.SymbolicLink, target));
            }
            else if (child is DirectoryInfo)
            {
                entries.Add(new Entry(name + "/", child.FullName, EntryKind.Directory, null));
                Walk(root, child.FullName, entries);
            }
            else if (UnixFileType.IsRegularFile(child.FullName))
            {
                entries.Add(new Entry(name, child.FullName, EntryKind.File, null));
            }
            else
            {
                throw new SandboxConfigurationException(
                    $"Build context {root} holds '{name}', which is not a regular file, directory or symlink; remove it from the context.");
            }
        }
    }

    private static void EnsureLinkStaysInside(string root, FileSystemInfo link, string target)
    {
        var name = Path.GetRelativePath(root, link.FullName);
        if (Path.IsPathRooted(target))
        {
            throw new SandboxConfigurationException(
                $"Build context {root} holds symlink '{name}' with an absolute target; only relative links inside the context are allowed.");
        }

        var resolved = Path.GetFullPath(target, Path.GetDirectoryName(link.FullName)!);
        var fromRoot = Path.GetRelativePath(root, resolved);
        if (fromRoot == ".." || fromRoot.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(fromRoot))
        {
            throw new SandboxConfigurationException(
                $"Build context {root} holds symlink '{name}' pointing outside the context; only links inside the context are allowed.");
        }
    }

    private static string ToArchiveName(string relativePath) => relativePath.Replace(Path.DirectorySeparatorChar, '/');

    private enum EntryKind
    {
        File,
        Directory,
        SymbolicLink,
    }

    private sealed record Entry(string Name, string SourcePath, EntryKind Kind, string? LinkTarget);
}
