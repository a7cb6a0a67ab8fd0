using System.Text;

namespace Airut.Sandbox.Core.Images;

/// <summary>
/// The one-line file that remembers the proxy program's content hash under the key of its directory listing
/// (<c>{listing key} {content hash}</c>), so an unchanged 100 MB program is not read and hashed on every run.
/// It must live in a directory only this user can write: whoever writes it chooses which proxy image tag runs.
/// </summary>
internal static class ProgramHashCache
{
    /// <summary>The remembered content hash when the file holds <paramref name="key"/>; null otherwise (also when unreadable).</summary>
    public static string? Read(string path, string key)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var parts = text.TrimEnd('\n').Split(' ');
        return parts.Length == 2 && parts[0] == key && IsSha256Hex(parts[1]) ? parts[1] : null;
    }

    /// <summary>Replaces the file atomically (a concurrent run sees the old or the new line); failures are ignored.</summary>
    public static void Write(string path, string key, string contentHash)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes($"{key} {contentHash}\n"));
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a cache: the next run reads the program again.
            File.Delete(temporary);
        }
    }

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);
}
