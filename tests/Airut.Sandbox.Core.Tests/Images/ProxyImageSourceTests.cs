using System.Text;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Images;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "IMG-03")]
public sealed class ProxyImageSourceTests : IDisposable
{
    private readonly string _program = Directory.CreateTempSubdirectory("airut-test-").FullName;

    public ProxyImageSourceTests()
    {
        File.WriteAllText(Path.Combine(_program, "airut-proxy"), "ELF");
        File.WriteAllText(Path.Combine(_program, "libSystem.Native.so"), "SO");
    }

    public void Dispose() => Directory.Delete(_program, recursive: true);

    [Fact]
    public void IMG_03_proxy_image_is_from_the_configured_base_with_the_program_as_entrypoint()
    {
        var source = ProxyImageSource.Create("localhost/airut/debian:bookworm", _program);

        Assert.Equal(
            "FROM localhost/airut/debian:bookworm\nCOPY airut-proxy/ /opt/airut-proxy/\nENTRYPOINT [\"/opt/airut-proxy/airut-proxy\"]\n",
            Encoding.UTF8.GetString(source.Dockerfile.Span));
        Assert.Equal(["airut-proxy/airut-proxy", "airut-proxy/libSystem.Native.so"], source.Files.Select(f => f.Name));
        Assert.True(source.Files[0].Executable);
    }

    [Fact]
    public void IMG_03_hash_changes_only_when_inputs_change()
    {
        var first = ProxyImageSource.Create("base:1", _program).ContentHash;
        Assert.Equal(first, ProxyImageSource.Create("base:1", _program).ContentHash);
        Assert.NotEqual(first, ProxyImageSource.Create("base:2", _program).ContentHash);
        File.WriteAllText(Path.Combine(_program, "airut-proxy"), "ELF2");
        Assert.NotEqual(first, ProxyImageSource.Create("base:1", _program).ContentHash);
    }

    [Fact]
    public void Subdirectories_of_the_program_are_included_and_symbolic_links_are_not_followed()
    {
        Directory.CreateDirectory(Path.Combine(_program, "runtimes"));
        File.WriteAllText(Path.Combine(_program, "runtimes", "x.so"), "X");
        File.CreateSymbolicLink(Path.Combine(_program, "link"), "/etc/hostname");

        var source = ProxyImageSource.Create("base:1", _program);

        Assert.Contains(source.Files, f => f.Name == "airut-proxy/runtimes/x.so");
        Assert.DoesNotContain(source.Files, f => f.Name == "airut-proxy/link");
    }

    [Theory]
    [InlineData("base:1\nRUN curl evil")]
    [InlineData("base 1")]
    public void Base_image_must_be_a_single_reference(string baseImage)
    {
        Assert.Throws<ArgumentException>(() => ProxyImageSource.Create(baseImage, _program));
    }

    [Fact]
    public void Missing_program_is_reported_with_how_to_publish_it()
    {
        File.Delete(Path.Combine(_program, "airut-proxy"));
        var error = Assert.Throws<FileNotFoundException>(() => ProxyImageSource.Create("base:1", _program));
        Assert.Contains("Publish", error.Message, StringComparison.Ordinal);
    }
}
