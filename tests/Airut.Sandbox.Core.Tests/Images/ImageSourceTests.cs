using System.Runtime.Versioning;
using System.Text;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Images;

[Trait(TestCategories.Name, TestCategories.Unit)]
[SupportedOSPlatform("linux")]
public sealed class ImageSourceTests
{
    private static readonly byte[] FromAlpine = Encoding.UTF8.GetBytes("FROM alpine\n");

    private static BuildContextFile Text(string name, string content) => new(name, Encoding.UTF8.GetBytes(content));

    [Fact]
    [Trait("Spec", "KAT-9")]
    public void KAT_9_dockerfile_without_context_hashes_to_the_known_answer()
    {
        var source = new ImageSource(FromAlpine, []);
        Assert.Equal("f04bea490d45e7ae69d542846511e7c90eb683deaa1e0df19e9fca4d227265c2", source.ContentHash);
    }

    [Fact]
    [Trait("Spec", "KAT-9")]
    public void KAT_9_context_files_are_hashed_by_sorted_name_then_bytes()
    {
        var source = new ImageSource(FromAlpine, [Text("b.txt", "B"), Text("a.txt", "A")]);
        Assert.Equal("b5b18f7feb75966ba80af93f151631d78d5336a1d153cc144f10363f108caf35", source.ContentHash);
        Assert.Equal(["a.txt", "b.txt"], source.Files.Select(f => f.Name));
    }

    [Fact]
    [Trait("Spec", "IMG-04")]
    public void IMG_04_hash_is_64_lowercase_hex_and_changes_with_names_and_contents()
    {
        var baseline = new ImageSource(FromAlpine, [Text("a.txt", "A")]).ContentHash;
        Assert.Matches("^[0-9a-f]{64}$", baseline);
        Assert.Equal(baseline, new ImageSource(FromAlpine, [Text("a.txt", "A")]).ContentHash);
        Assert.NotEqual(baseline, new ImageSource(FromAlpine, [Text("c.txt", "A")]).ContentHash);
        Assert.NotEqual(baseline, new ImageSource(FromAlpine, [Text("a.txt", "B")]).ContentHash);
        Assert.NotEqual(baseline, new ImageSource(Encoding.UTF8.GetBytes("FROM debian\n"), [Text("a.txt", "A")]).ContentHash);
    }

    [Theory]
    [Trait("Spec", "IMG-06")]
    [InlineData("../x")]
    [InlineData("/etc/shadow")]
    [InlineData("a/../../x")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData("Dockerfile")]
    public void IMG_06_CFG_05_traversal_and_absolute_context_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => new ImageSource(FromAlpine, [Text(name, "x")]));
    }

    [Fact]
    public void Duplicate_context_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ImageSource(FromAlpine, [Text("a", "1"), Text("a", "2")]));
    }

    [Fact]
    [Trait("Spec", "IMG-06")]
    public void IMG_06_WriteTo_writes_only_the_dockerfile_and_context_files_with_their_modes()
    {
        var directory = Directory.CreateTempSubdirectory("airut-test-").FullName;
        try
        {
            var source = new ImageSource(FromAlpine, [Text("a.txt", "A"), new BuildContextFile("bin/run", "R"u8.ToArray(), Executable: true)]);
            source.WriteTo(directory);

            Assert.Equal("FROM alpine\n", File.ReadAllText(Path.Combine(directory, "Dockerfile")));
            Assert.Equal("A", File.ReadAllText(Path.Combine(directory, "a.txt")));
            Assert.Equal(
                ["Dockerfile", "a.txt", "bin/run"],
                Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal));
            Assert.True((File.GetUnixFileMode(Path.Combine(directory, "bin/run")) & UnixFileMode.UserExecute) != 0);
            Assert.True((File.GetUnixFileMode(Path.Combine(directory, "a.txt")) & UnixFileMode.UserExecute) == 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
