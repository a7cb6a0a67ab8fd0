using System.Runtime.Versioning;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Images;

[Trait(TestCategories.Name, TestCategories.Unit)]
[SupportedOSPlatform("linux")]
public sealed class RepositoryImageSourceReaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("airut-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Container => Path.Combine(_root, ".airut", "container");

    private string WriteDockerfile()
    {
        Directory.CreateDirectory(Container);
        var path = Path.Combine(Container, "Dockerfile");
        File.WriteAllText(path, "FROM alpine\n");
        return path;
    }

    [Fact]
    [Trait("Spec", "IMG-02")]
    public void IMG_02_reads_regular_files_directly_in_the_context_except_Dockerfile_and_not_subdirectories()
    {
        var dockerfile = WriteDockerfile();
        File.WriteAllText(Path.Combine(Container, "b.txt"), "B");
        File.WriteAllText(Path.Combine(Container, "a.txt"), "A");
        Directory.CreateDirectory(Path.Combine(Container, "sub"));
        File.WriteAllText(Path.Combine(Container, "sub", "c.txt"), "C");

        var source = RepositoryImageSourceReader.Read(dockerfile, Container);

        Assert.Equal(["a.txt", "b.txt"], source.Files.Select(f => f.Name));
        Assert.Equal("b5b18f7feb75966ba80af93f151631d78d5336a1d153cc144f10363f108caf35", source.ContentHash);
    }

    [Fact]
    [Trait("Spec", "IMG-02")]
    public void IMG_02_missing_context_directory_means_no_context_files()
    {
        var dockerfile = WriteDockerfile();
        var source = RepositoryImageSourceReader.Read(dockerfile, Path.Combine(_root, "nope"));
        Assert.Empty(source.Files);
        Assert.Equal("f04bea490d45e7ae69d542846511e7c90eb683deaa1e0df19e9fca4d227265c2", source.ContentHash);
    }

    [Fact]
    [Trait("Spec", "CLI-40")]
    public void CLI_40_missing_dockerfile_is_a_configuration_error_naming_the_path()
    {
        var missing = Path.Combine(_root, "Dockerfile");
        var error = Assert.Throws<SandboxConfigurationException>(() => RepositoryImageSourceReader.Read(missing, _root));
        Assert.Contains($"Dockerfile not found: {missing}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "CFG-05")]
    public void CFG_05_a_symbolic_link_in_the_context_is_refused_not_followed()
    {
        var dockerfile = WriteDockerfile();
        var secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(secret, "host secret");
        File.CreateSymbolicLink(Path.Combine(Container, "id_rsa"), secret);

        var error = Assert.Throws<SandboxConfigurationException>(() => RepositoryImageSourceReader.Read(dockerfile, Container));
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Contains("id_rsa", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "CFG-05")]
    public void CFG_05_a_symbolic_link_as_Dockerfile_is_refused()
    {
        var real = WriteDockerfile();
        var link = Path.Combine(_root, "Dockerfile.link");
        File.CreateSymbolicLink(link, real);
        Assert.Throws<SandboxConfigurationException>(() => RepositoryImageSourceReader.Read(link, Path.Combine(_root, "none")));
    }

    [Fact]
    public void Executable_context_files_keep_their_executable_flag()
    {
        var dockerfile = WriteDockerfile();
        var script = Path.Combine(Container, "setup.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(Container, "data.txt"), "x");

        var source = RepositoryImageSourceReader.Read(dockerfile, Container);

        Assert.True(source.Files.Single(f => f.Name == "setup.sh").Executable);
        Assert.False(source.Files.Single(f => f.Name == "data.txt").Executable);
    }
}
