using System.Security.Cryptography;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Images;

/// <summary>
/// Everything an image is built from, read into memory before any untrusted code runs (CLI-41):
/// the Dockerfile bytes and the context files. Its <see cref="ContentHash"/> names the image (IMG-01, IMG-04).
/// </summary>
public sealed class ImageSource
{
    private const UnixFileMode RegularMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ExecutableMode =
        RegularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly Lazy<IReadOnlyList<BuildContextFile>> _files;

    /// <summary>Creates a source; file names are validated and kept sorted by ordinal name.</summary>
    /// <exception cref="ArgumentException">A name is empty, absolute, a traversal, or appears twice.</exception>
    public ImageSource(ReadOnlyMemory<byte> dockerfile, IEnumerable<BuildContextFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Dockerfile = dockerfile;
        var sorted = Sort(files);
        _files = new Lazy<IReadOnlyList<BuildContextFile>>(sorted);
        ContentHash = ComputeHash(dockerfile.Span, sorted);
    }

    private ImageSource(ReadOnlyMemory<byte> dockerfile, string contentHash, Func<IEnumerable<BuildContextFile>> readFiles)
    {
        Dockerfile = dockerfile;
        ContentHash = contentHash;
        _files = new Lazy<IReadOnlyList<BuildContextFile>>(() =>
        {
            var sorted = Sort(readFiles());
            if (ComputeHash(dockerfile.Span, sorted) != contentHash)
            {
                // The tag names this hash: building other bytes under it would break content addressing (IMG-01).
                throw new SandboxInfrastructureException(
                    $"The build context changed after its content hash {contentHash} was taken; run again.");
            }

            return sorted;
        });
    }

    /// <summary>
    /// A source whose <see cref="ContentHash"/> is already known from an earlier reading of the same inputs: the
    /// files are read only when first needed (to build), and must then hash to <paramref name="contentHash"/>.
    /// </summary>
    /// <exception cref="SandboxInfrastructureException">From <see cref="Files"/> and <see cref="WriteTo"/>: the files read no longer hash to <paramref name="contentHash"/>.</exception>
    public static ImageSource WithKnownHash(ReadOnlyMemory<byte> dockerfile, string contentHash, Func<IEnumerable<BuildContextFile>> readFiles)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        ArgumentNullException.ThrowIfNull(readFiles);
        return new ImageSource(dockerfile, contentHash, readFiles);
    }

    /// <summary>The Dockerfile bytes.</summary>
    public ReadOnlyMemory<byte> Dockerfile { get; }

    /// <summary>Context files in ordinal name order.</summary>
    public IReadOnlyList<BuildContextFile> Files => _files.Value;

    /// <summary>
    /// Lower-case hex SHA-256 over the Dockerfile bytes, then each file's UTF-8 name followed by its bytes,
    /// in ordinal name order, with no separators (IMG-04, KAT-9). The executable flag is not part of it.
    /// </summary>
    public string ContentHash { get; }

    /// <summary>
    /// Writes the Dockerfile (as <c>Dockerfile</c>) and the context files into <paramref name="directory"/>,
    /// which must exist and be empty; a build then sees only these regular files (CFG-05).
    /// </summary>
    public void WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException($"Build directory {directory} is not empty.");
        }

        File.WriteAllBytes(Path.Combine(directory, "Dockerfile"), Dockerfile.ToArray());
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        foreach (var file in Files)
        {
            var target = Path.GetFullPath(Path.Combine(directory, file.Name));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Build context file '{file.Name}' escapes the build directory.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = file.Executable ? ExecutableMode : RegularMode;
            }

            using var stream = new FileStream(target, options);
            stream.Write(file.Content.Span);
        }
    }

    private static BuildContextFile[] Sort(IEnumerable<BuildContextFile> files)
    {
        var sorted = files.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            ValidateName(sorted[i].Name);
            if (i > 0 && string.Equals(sorted[i - 1].Name, sorted[i].Name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Build context file '{sorted[i].Name}' appears twice.", nameof(files));
            }
        }

        return sorted;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) ||
            name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid build context file name '{name}'.", nameof(name));
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"Invalid build context file name '{name}': no empty, '.' or '..' segments.", nameof(name));
            }
        }

        if (name == "Dockerfile")
        {
            throw new ArgumentException("A build context file may not be named 'Dockerfile'; the Dockerfile is given separately.", nameof(name));
        }
    }

    private static string ComputeHash(ReadOnlySpan<byte> dockerfile, IReadOnlyList<BuildContextFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(dockerfile);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file.Name));
            hash.AppendData(file.Content.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
