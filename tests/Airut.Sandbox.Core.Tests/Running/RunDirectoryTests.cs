using System.Runtime.Versioning;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
[SupportedOSPlatform("linux")]
public sealed class RunDirectoryTests : IDisposable
{
    private static readonly ProcessIdentity Me = new("host-a", 100, 5000, "boot-1", "pid:[4026531836]");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "airut-test-" + Guid.NewGuid().ToString("N"), "runs");

    public void Dispose()
    {
        var parent = Path.GetDirectoryName(_root)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    [Trait("Spec", "SEC-09")]
    public void SEC_09_run_directory_and_root_are_0700_secret_files_0600_public_files_0644()
    {
        var runId = RunId.New();
        using var directory = RunDirectory.Create(_root, runId, Me);

        Assert.Equal(Path.Combine(_root, runId.Value), directory.FullPath);
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(Private, File.GetUnixFileMode(_root));
        Assert.Equal(Private, File.GetUnixFileMode(directory.FullPath));

        var secret = directory.WriteSecretFile("proxy.json", "{}"u8);
        var cert = directory.WritePublicFile("ca.crt", "cert"u8);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(cert));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.FullPath, RunDirectory.OwnerFileName)));
        Assert.Equal(Me, RunDirectory.ReadOwner(directory.FullPath));
    }

    [Fact]
    public void Dispose_removes_the_directory_with_its_files()
    {
        var directory = RunDirectory.Create(_root, RunId.New(), Me);
        directory.WriteSecretFile("ca.key", "key"u8);
        directory.Dispose();
        Assert.False(Directory.Exists(directory.FullPath));
        directory.Dispose();
    }

    [Fact]
    public void A_wider_root_is_narrowed_to_0700()
    {
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, (UnixFileMode)0x1FF);
        using var directory = RunDirectory.Create(_root, RunId.New(), Me);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_root));
    }

    [Fact]
    public void A_symbolic_link_as_root_is_refused()
    {
        var target = Path.Combine(Path.GetDirectoryName(_root)!, "elsewhere");
        Directory.CreateDirectory(target);
        Directory.CreateSymbolicLink(_root, target);
        Assert.Throws<IOException>(() => RunDirectory.Create(_root, RunId.New(), Me));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public void File_names_must_be_plain(string name)
    {
        using var directory = RunDirectory.Create(_root, RunId.New(), Me);
        Assert.Throws<ArgumentException>(() => directory.WriteSecretFile(name, "x"u8));
    }

    [Fact]
    public void Files_are_never_overwritten()
    {
        using var directory = RunDirectory.Create(_root, RunId.New(), Me);
        directory.WriteSecretFile("a", "1"u8);
        Assert.Throws<IOException>(() => directory.WriteSecretFile("a", "2"u8));
    }
}
