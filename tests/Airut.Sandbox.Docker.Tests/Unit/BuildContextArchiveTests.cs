using System.Formats.Tar;
using System.Net.Sockets;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Unit;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class BuildContextArchiveTests : IDisposable
{
    private const UnixFileMode Executable = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode Private = (UnixFileMode)0x180; // 0600
    private readonly TempDirectory _context = new();
    private readonly TempDirectory _outside = new();

    public void Dispose()
    {
        _context.Dispose();
        _outside.Dispose();
    }

    private static async Task<Dictionary<string, (TarEntryType Type, UnixFileMode Mode, string? Content, string LinkName, int Uid)>> RoundTrip(BuildContextArchive archive)
    {
        using var buffer = new MemoryStream();
        await archive.WriteToAsync(buffer, CancellationToken.None);
        buffer.Position = 0;
        var result = new Dictionary<string, (TarEntryType, UnixFileMode, string?, string, int)>();
        using var reader = new TarReader(buffer);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            string? content = null;
            if (entry.DataStream is { } data)
            {
                using var text = new StreamReader(data);
                content = await text.ReadToEndAsync();
            }

            result.Add(entry.Name, (entry.EntryType, entry.Mode, content, entry.LinkName, entry.Uid));
        }

        return result;
    }

    [Fact]
    public async Task Files_nested_directories_and_modes_survive_a_round_trip()
    {
        _context.Write("Dockerfile", "FROM scratch\n");
        _context.Write("entrypoint.sh", "#!/bin/sh\n", Executable);
        _context.Write("conf/app/settings.ini", "a=1\n", Private);

        var archive = BuildContextArchive.Create(_context.Path, "Dockerfile");
        var entries = await RoundTrip(archive);

        Assert.Equal("Dockerfile", archive.DockerfileName);
        Assert.Equal(["Dockerfile", "conf/", "conf/app/", "conf/app/settings.ini", "entrypoint.sh"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TarEntryType.Directory, entries["conf/app/"].Type);
        Assert.Equal("#!/bin/sh\n", entries["entrypoint.sh"].Content);
        Assert.Equal(Executable, entries["entrypoint.sh"].Mode);
        Assert.Equal(Private, entries["conf/app/settings.ini"].Mode);
        Assert.Equal("a=1\n", entries["conf/app/settings.ini"].Content);
        Assert.All(entries.Values, entry => Assert.Equal(0, entry.Uid));
    }

    [Fact]
    public async Task An_empty_context_with_an_outside_Dockerfile_holds_just_that_Dockerfile()
    {
        var dockerfile = _outside.Write("Dockerfile.sandbox", "FROM localhost/airut/debian:bookworm\n");

        var archive = BuildContextArchive.Create(_context.Path, dockerfile);
        var entries = await RoundTrip(archive);

        Assert.Equal(BuildContextArchive.ExternalDockerfileName, archive.DockerfileName);
        Assert.Equal("FROM localhost/airut/debian:bookworm\n", Assert.Single(entries).Value.Content);
    }

    [Fact]
    public void A_Dockerfile_in_a_subdirectory_is_named_by_its_relative_path()
    {
        _context.Write("docker/build/Dockerfile", "FROM scratch\n");

        var archive = BuildContextArchive.Create(_context.Path, "docker/build/Dockerfile");

        Assert.Equal("docker/build/Dockerfile", archive.DockerfileName);
    }

    [Fact]
    public async Task CFG_05_a_symlink_inside_the_context_is_stored_as_a_link_not_followed()
    {
        _context.Write("Dockerfile", "FROM scratch\n");
        _context.Write("data/real.txt", "real\n");
        File.CreateSymbolicLink(Path.Combine(_context.Path, "data", "alias.txt"), "real.txt");
        File.CreateSymbolicLink(Path.Combine(_context.Path, "up"), "data/../data/real.txt");

        var entries = await RoundTrip(BuildContextArchive.Create(_context.Path, "Dockerfile"));

        Assert.Equal(TarEntryType.SymbolicLink, entries["data/alias.txt"].Type);
        Assert.Equal("real.txt", entries["data/alias.txt"].LinkName);
        Assert.Null(entries["data/alias.txt"].Content);
        Assert.Equal(TarEntryType.SymbolicLink, entries["up"].Type);
    }

    [Fact]
    public void CFG_05_a_relative_symlink_escaping_the_context_is_refused()
    {
        var secret = _outside.Write("id_rsa", "PRIVATE");
        _context.Write("Dockerfile", "FROM scratch\n");
        Directory.CreateDirectory(Path.Combine(_context.Path, "sub"));
        File.CreateSymbolicLink(Path.Combine(_context.Path, "sub", "key"), Path.GetRelativePath(Path.Combine(_context.Path, "sub"), secret));

        var ex = Assert.Throws<SandboxConfigurationException>(() => BuildContextArchive.Create(_context.Path, "Dockerfile"));
        Assert.Contains("sub/key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outside the context", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CFG_05_a_symlink_to_the_context_parent_is_refused()
    {
        _context.Write("Dockerfile", "FROM scratch\n");
        File.CreateSymbolicLink(Path.Combine(_context.Path, "parent"), "..");

        Assert.Throws<SandboxConfigurationException>(() => BuildContextArchive.Create(_context.Path, "Dockerfile"));
    }

    [Fact]
    public void CFG_05_an_absolute_symlink_is_refused_even_when_it_points_inside()
    {
        _context.Write("Dockerfile", "FROM scratch\n");
        File.CreateSymbolicLink(Path.Combine(_context.Path, "shadow"), "/etc/shadow");
        File.CreateSymbolicLink(Path.Combine(_context.Path, "self"), Path.Combine(_context.Path, "Dockerfile"));

        var ex = Assert.Throws<SandboxConfigurationException>(() => BuildContextArchive.Create(_context.Path, "Dockerfile"));
        Assert.Contains("absolute target", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CFG_05_a_socket_in_the_context_is_refused()
    {
        _context.Write("Dockerfile", "FROM scratch\n");
        var socketPath = Path.Combine(_context.Path, "agent.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        var ex = Assert.Throws<SandboxConfigurationException>(() => BuildContextArchive.Create(_context.Path, "Dockerfile"));
        Assert.Contains("agent.sock", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_Dockerfile_is_a_configuration_error_naming_it()
    {
        var ex = Assert.Throws<SandboxConfigurationException>(() => BuildContextArchive.Create(_context.Path, "Dockerfile"));

        Assert.Contains(Path.Combine(_context.Path, "Dockerfile"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_context_directory_is_a_configuration_error()
    {
        var missing = Path.Combine(_context.Path, "nope");

        var ex = Assert.Throws<SandboxConfigurationException>(() => BuildContextArchive.Create(missing, "Dockerfile"));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reserved_Dockerfile_name_in_the_context_is_refused_when_the_Dockerfile_is_outside()
    {
        _context.Write(BuildContextArchive.ExternalDockerfileName, "x");
        var dockerfile = _outside.Write("Dockerfile", "FROM scratch\n");

        Assert.Throws<SandboxConfigurationException>(() => BuildContextArchive.Create(_context.Path, dockerfile));
    }
}
