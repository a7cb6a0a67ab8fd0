namespace Airut.Sandbox.Docker.Tests.Unit;

/// <summary>A fresh directory removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("airut-docker-test-").FullName;
    }

    public string Path { get; }

    public string Write(string relative, string content, UnixFileMode? mode = null)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mode is { } m)
        {
            File.SetUnixFileMode(full, m);
        }

        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
