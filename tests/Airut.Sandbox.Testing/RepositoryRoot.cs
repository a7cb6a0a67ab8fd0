namespace Airut.Sandbox.Testing;

/// <summary>Finds the repository root (the directory holding Airut.Sandbox.sln) from the test's base directory.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository root.</summary>
    public static string Path { get; } = Find();

    /// <summary><c>shared/</c> beside the repository, as CI lays it out (a clean clone with shared/ next to it).</summary>
    public static string SharedPath => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared"));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Airut.Sandbox.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Airut.Sandbox.sln above {AppContext.BaseDirectory}");
    }
}
