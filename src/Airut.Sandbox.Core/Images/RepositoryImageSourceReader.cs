using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Images;

/// <summary>
/// Reads the repository image's inputs (IMG-02, hardened by CFG-05): the Dockerfile, plus every regular file
/// directly in the context directory except files named exactly <c>Dockerfile</c>. Subdirectories are not
/// read. A symbolic link is refused rather than followed, so a context cannot pull in host files such as
/// <c>~/.ssh/id_rsa</c>. A context directory that does not exist contributes no files.
/// </summary>
public static class RepositoryImageSourceReader
{
    /// <summary>Reads the Dockerfile and context into memory.</summary>
    /// <exception cref="SandboxConfigurationException">The Dockerfile is missing or is not a regular file, or the context holds a symbolic link.</exception>
    public static ImageSource Read(string dockerfilePath, string contextDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dockerfilePath);
        ArgumentException.ThrowIfNullOrEmpty(contextDirectory);

        var dockerfileInfo = new FileInfo(dockerfilePath);
        if (!dockerfileInfo.Exists)
        {
            throw new SandboxConfigurationException($"Dockerfile not found: {dockerfilePath}", key: "dockerfile");
        }

        if (dockerfileInfo.LinkTarget is not null)
        {
            throw new SandboxConfigurationException(
                $"Dockerfile must be a regular file, not a symbolic link: {dockerfilePath}",
                new SourceLocation(dockerfilePath, 1, 1),
                "dockerfile");
        }

        var dockerfile = File.ReadAllBytes(dockerfilePath);
        var files = new List<BuildContextFile>();
        var context = new DirectoryInfo(contextDirectory);
        if (context.Exists)
        {
            foreach (var entry in context.EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    throw new SandboxConfigurationException(
                        $"Build context entry is a symbolic link, which is never followed; replace it with a regular file: {entry.FullName}",
                        new SourceLocation(entry.FullName, 1, 1),
                        "context");
                }

                if (entry is not FileInfo file || entry.Name == "Dockerfile")
                {
                    continue;
                }

                var executable = (file.UnixFileMode & UnixFileMode.UserExecute) != 0;
                files.Add(new BuildContextFile(file.Name, File.ReadAllBytes(file.FullName), executable));
            }
        }

        return new ImageSource(dockerfile, files);
    }
}
