using System.Security.Cryptography;
using System.Text;

namespace Airut.Sandbox.Core.Images;

/// <summary>
/// The proxy image's inputs (IMG-03): <c>FROM</c> a configurable base plus the published <c>airut-proxy</c>
/// program directory, copied to <see cref="ProgramDirectory"/>. The program must be self-contained
/// (or NativeAOT), because the default base (<c>runtime-deps</c>) has no .NET runtime.
/// </summary>
public static class ProxyImageSource
{
    /// <summary>Where the program directory lands in the image.</summary>
    public const string ProgramDirectory = "/opt/airut-proxy";

    /// <summary>The program's path in the image, which is the image's entrypoint.</summary>
    public const string ProgramPath = ProgramDirectory + "/" + ProgramName;

    /// <summary>The program's file name in the published directory.</summary>
    public const string ProgramName = "airut-proxy";

    private const string ContextFolder = "airut-proxy";

    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Composes the Dockerfile over the published program directory (recursively; symbolic links are skipped, never
    /// followed). Without <paramref name="hashCacheFile"/> every file is read and hashed. With it, the content hash of
    /// an unchanged directory comes from that file, keyed by every file's name, size and modification time, and the
    /// 100 MB of the program are read only to build the image (where they must still hash the same).
    /// </summary>
    /// <param name="baseImage">Image reference for <c>FROM</c>.</param>
    /// <param name="publishedProgramDirectory">Output of publishing <c>Airut.Sandbox.Proxy.Program</c>.</param>
    /// <param name="hashCacheFile">A file in a private directory of this user that remembers the last content hash; null reads every time.</param>
    /// <param name="time">The clock that tells a file modified just now (its hash is not remembered); the system clock when null.</param>
    /// <exception cref="ArgumentException">The base reference is not a single token.</exception>
    /// <exception cref="FileNotFoundException">The directory has no <c>airut-proxy</c> program.</exception>
    public static ImageSource Create(string baseImage, string publishedProgramDirectory, string? hashCacheFile = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseImage);
        ArgumentException.ThrowIfNullOrEmpty(publishedProgramDirectory);
        if (baseImage.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"Proxy base image '{baseImage}' must be one image reference without whitespace.", nameof(baseImage));
        }

        var root = new DirectoryInfo(publishedProgramDirectory);
        if (!File.Exists(Path.Combine(root.FullName, ProgramName)))
        {
            throw new FileNotFoundException(
                $"The published proxy program is missing: {Path.Combine(root.FullName, ProgramName)}. " +
                "Publish src/Airut.Sandbox.Proxy.Program self-contained for linux-x64 and point the options at its output.");
        }

        var dockerfile = Encoding.UTF8.GetBytes(
            $"FROM {baseImage}\n" +
            $"COPY {ContextFolder}/ {ProgramDirectory}/\n" +
            $"ENTRYPOINT [\"{ProgramPath}\"]\n");
        var listingStarted = (time ?? TimeProvider.System).GetUtcNow();
        var listing = root.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Select(file => (Name: ContextFolder + "/" + Path.GetRelativePath(root.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/'), File: file))
            .OrderBy(entry => entry.Name, StringComparer.Ordinal)
            .ToList();
        IEnumerable<BuildContextFile> ReadFiles() => listing.Select(entry => new BuildContextFile(
            entry.Name, File.ReadAllBytes(entry.File.FullName), (entry.File.UnixFileMode & UnixFileMode.UserExecute) != 0 || entry.Name == ContextFolder + "/" + ProgramName));

        if (hashCacheFile is null)
        {
            return new ImageSource(dockerfile, ReadFiles());
        }

        var key = ListingKey(dockerfile, listing.Select(entry => (entry.Name, entry.File)));
        if (ProgramHashCache.Read(hashCacheFile, key) is { } known)
        {
            return ImageSource.WithKnownHash(dockerfile, known, ReadFiles);
        }

        var source = new ImageSource(dockerfile, ReadFiles());

        // A file written in the last seconds may change again within the file system's timestamp granularity
        // without its size or time changing; its listing is not remembered, as git does with racily clean entries.
        if (listing.All(entry => entry.File.LastWriteTimeUtc < listingStarted.UtcDateTime - RacyWindow))
        {
            ProgramHashCache.Write(hashCacheFile, key, source.ContentHash);
        }

        return source;
    }

    private static string ListingKey(byte[] dockerfile, IEnumerable<(string Name, FileInfo File)> listing)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(dockerfile);
        foreach (var (name, file) in listing)
        {
            var mode = (int)file.UnixFileMode;
            hash.AppendData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"\0{name}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}\0{mode}")));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
