using System.Globalization;
using System.Text;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// A run's private host directory (SEC-09 hardened): <c>{root}/{runId}</c>, mode 0700, holding the proxy
/// configuration, the per-run CA key and certificate and the allowlist snapshot. Secret files are 0600;
/// files containers must read whatever their user (the CA certificate, the entrypoint) are 0644, which is
/// safe because the directory itself admits no other host user. It records its owner so that a later
/// run can remove it when this process died (<see cref="DeadRunSweeper"/>). <see cref="Dispose"/> removes it.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    /// <summary>The file recording the owner, as <c>label=value</c> lines.</summary>
    public const string OwnerFileName = "owner";

    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode SecretFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicFile = SecretFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private RunDirectory(string path, RunId runId)
    {
        FullPath = path;
        RunId = runId;
    }

    /// <summary>Absolute path of the directory.</summary>
    public string FullPath { get; }

    /// <summary>The run.</summary>
    public RunId RunId { get; }

    /// <summary>Creates the directory for <paramref name="runId"/> under <paramref name="root"/> (created 0700 when missing).</summary>
    /// <exception cref="IOException">The root is a symbolic link or not a directory, or the run directory exists.</exception>
    public static RunDirectory Create(string root, RunId runId, ProcessIdentity owner)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(owner);
        var rootPath = PrepareRoot(root);
        var path = Path.Combine(rootPath, runId.Value);
        if (Directory.Exists(path) || File.Exists(path))
        {
            throw new IOException($"Run directory {path} already exists.");
        }

        CreatePrivateDirectory(path);
        var directory = new RunDirectory(path, runId);
        var ownerText = new StringBuilder();
        foreach (var (key, value) in RunLabels.For(runId, owner, "directory"))
        {
            ownerText.Append(CultureInfo.InvariantCulture, $"{key}={value}\n");
        }

        try
        {
            directory.WriteSecretFile(OwnerFileName, Encoding.UTF8.GetBytes(ownerText.ToString()));
        }
        catch (IOException)
        {
            // Without its owner file no sweeper would ever judge it dead (a full disk, say): remove it now.
            directory.Dispose();
            throw;
        }

        return directory;
    }

    /// <summary>Creates <paramref name="root"/> with mode 0700 when missing and returns its full path; refuses a symbolic link.</summary>
    public static string PrepareRoot(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        var info = new DirectoryInfo(full);
        if (info.LinkTarget is not null)
        {
            throw new IOException($"Run directory root {full} is a symbolic link; refusing to use it.");
        }

        if (!info.Exists)
        {
            if (File.Exists(full))
            {
                throw new IOException($"Run directory root {full} is not a directory.");
            }

            CreatePrivateDirectory(full);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, PrivateDirectory);
        }

        return full;
    }

    /// <summary>Reads the owner recorded in a run directory; null when it is missing or malformed.</summary>
    public static ProcessIdentity? ReadOwner(string directory)
    {
        try
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in File.ReadAllLines(Path.Combine(directory, OwnerFileName)))
            {
                var separator = line.IndexOf('=', StringComparison.Ordinal);
                if (separator > 0)
                {
                    labels[line[..separator]] = line[(separator + 1)..];
                }
            }

            return RunLabels.ReadOwner(labels);
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

    /// <summary>Writes a file only this user may read (0600) and returns its path.</summary>
    public string WriteSecretFile(string name, ReadOnlySpan<byte> content) => Write(name, content, SecretFile);

    /// <summary>Writes a file any container user may read (0644) and returns its path.</summary>
    public string WritePublicFile(string name, ReadOnlySpan<byte> content) => Write(name, content, PublicFile);

    /// <summary>Removes the directory and everything in it; a directory already gone is fine.</summary>
    public void Dispose()
    {
        if (Directory.Exists(FullPath))
        {
            Directory.Delete(FullPath, recursive: true);
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectory);

            // The umask may have narrowed the mode further; never wider, but make it exact.
            File.SetUnixFileMode(path, PrivateDirectory);
        }
    }

    private string Write(string name, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        var path = Path.Combine(FullPath, name);
        // Unbuffered, so that a failed write (a full disk) fails here and not later in Dispose.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(path, options))
        {
            try
            {
                stream.Write(content);
            }
            catch (IOException)
            {
                // A half-written file (the disk filled up) must not stay behind, least of all a secret one.
                File.Delete(path);
                throw;
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }
}
