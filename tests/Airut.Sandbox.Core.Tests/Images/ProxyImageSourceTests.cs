using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Images;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "IMG-03")]
public sealed class ProxyImageSourceTests : IDisposable
{
    private readonly string _program = Directory.CreateTempSubdirectory("airut-test-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("airut-test-cache-").FullName;

    public ProxyImageSourceTests()
    {
        File.WriteAllText(Path.Combine(_program, "airut-proxy"), "ELF");
        File.WriteAllText(Path.Combine(_program, "libSystem.Native.so"), "SO");
    }

    private string CacheFile => Path.Combine(_cache, "proxy-program.hash");

    public void Dispose()
    {
        Directory.Delete(_program, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public void IMG_04_with_a_hash_cache_an_unchanged_program_gets_the_hash_of_its_content_and_an_edited_file_a_new_one()
    {
        AgeProgramFiles();
        var uncached = ProxyImageSource.Create("base:1", _program).ContentHash;

        var first = ProxyImageSource.Create("base:1", _program, CacheFile);
        Assert.Equal(uncached, first.ContentHash);
        Assert.True(File.Exists(CacheFile));
        var second = ProxyImageSource.Create("base:1", _program, CacheFile);
        Assert.Equal(uncached, second.ContentHash);
        Assert.Equal(first.Files.Select(f => f.Name), second.Files.Select(f => f.Name));

        // Same size, new content: a normal write moves the modification time.
        File.WriteAllText(Path.Combine(_program, "libSystem.Native.so"), "S0");
        AgeProgramFiles(TimeSpan.FromMinutes(5));
        var edited = ProxyImageSource.Create("base:1", _program, CacheFile);
        Assert.NotEqual(uncached, edited.ContentHash);
        Assert.Equal(ProxyImageSource.Create("base:1", _program).ContentHash, edited.ContentHash);
        Assert.NotEqual(edited.ContentHash, ProxyImageSource.Create("base:2", _program, CacheFile).ContentHash);
    }

    [Fact]
    public void IMG_04_a_remembered_hash_is_used_without_reading_the_program_and_building_checks_it_against_the_content()
    {
        AgeProgramFiles();
        var real = ProxyImageSource.Create("base:1", _program, CacheFile).ContentHash;
        var remembered = File.ReadAllText(CacheFile);
        var planted = new string('a', 64);
        File.WriteAllText(CacheFile, remembered.Replace(real, planted, StringComparison.Ordinal));

        var source = ProxyImageSource.Create("base:1", _program, CacheFile);

        Assert.Equal(planted, source.ContentHash);
        var error = Assert.Throws<SandboxInfrastructureException>(() => source.Files);
        Assert.Contains(planted, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IMG_04_a_program_written_just_now_is_not_remembered_because_a_second_write_could_keep_its_size_and_time()
    {
        var source = ProxyImageSource.Create("base:1", _program, CacheFile);

        Assert.Equal(ProxyImageSource.Create("base:1", _program).ContentHash, source.ContentHash);
        Assert.False(File.Exists(CacheFile));
    }

    [Fact]
    public void IMG_04_an_unreadable_or_malformed_cache_line_is_ignored()
    {
        AgeProgramFiles();
        var real = ProxyImageSource.Create("base:1", _program).ContentHash;
        File.WriteAllText(CacheFile, "garbage");

        Assert.Equal(real, ProxyImageSource.Create("base:1", _program, CacheFile).ContentHash);
        Assert.EndsWith($" {real}\n", File.ReadAllText(CacheFile), StringComparison.Ordinal);
    }

    private void AgeProgramFiles(TimeSpan? age = null)
    {
        var when = DateTime.UtcNow - (age ?? TimeSpan.FromMinutes(10));
        foreach (var file in Directory.EnumerateFiles(_program, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, when);
        }
    }

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
