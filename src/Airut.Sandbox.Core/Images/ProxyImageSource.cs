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

    /// <summary>Reads the published program directory (recursively; symbolic links are skipped, never followed) and composes the Dockerfile.</summary>
    /// <param name="baseImage">Image reference for <c>FROM</c>.</param>
    /// <param name="publishedProgramDirectory">Output of publishing <c>Airut.Sandbox.Proxy.Program</c>.</param>
    /// <exception cref="ArgumentException">The base reference is not a single token.</exception>
    /// <exception cref="FileNotFoundException">The directory has no <c>airut-proxy</c> program.</exception>
    public static ImageSource Create(string baseImage, string publishedProgramDirectory)
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

        var files = new List<BuildContextFile>();
        foreach (var file in root.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var relative = Path.GetRelativePath(root.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var executable = (file.UnixFileMode & UnixFileMode.UserExecute) != 0 || relative == ProgramName;
            files.Add(new BuildContextFile(ContextFolder + "/" + relative, File.ReadAllBytes(file.FullName), executable));
        }

        var dockerfile =
            $"FROM {baseImage}\n" +
            $"COPY {ContextFolder}/ {ProgramDirectory}/\n" +
            $"ENTRYPOINT [\"{ProgramPath}\"]\n";
        return new ImageSource(Encoding.UTF8.GetBytes(dockerfile), files);
    }
}
