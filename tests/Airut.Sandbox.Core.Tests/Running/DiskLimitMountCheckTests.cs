using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "RES-03")]
public sealed class DiskLimitMountCheckTests : IDisposable
{
    private const long Limit = 64L << 20;
    private static readonly ResourceLimits Limits = new(DiskBytes: Limit, DiskText: "64m", DiskLocation: new SourceLocation("/r/.airut/sandbox.yaml", 4, 9));
    private readonly string _root = Directory.CreateTempSubdirectory("airut-disk-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MountTable Table(params (string Point, string Type)[] mounts) =>
        MountTable.Parse(string.Concat(mounts.Select((m, i) => $"{i + 20} 1 0:{i} / {m.Point.Replace(" ", "\\040", StringComparison.Ordinal)} rw,relatime shared:1 - {m.Type} src{i} rw\n")));

    private static Func<string, long> Free(params (string Point, long Bytes)[] free) =>
        path => free.Single(f => f.Point == path).Bytes;

    [Fact]
    public void RES_03_without_a_disk_limit_nothing_is_checked()
    {
        DiskLimitMountCheck.Check(ResourceLimits.None, [("/anywhere", "the workspace")], Table(("/", "ext4")), _ => throw new InvalidOperationException("not asked"));
    }

    [Fact]
    public void RES_03_a_workspace_that_is_its_own_filesystem_no_larger_than_the_limit_may_run()
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;

        DiskLimitMountCheck.Check(Limits, [(workspace, "the workspace")], Table(("/", "ext4"), (workspace, "tmpfs")), Free(("/", 70L << 30), (workspace, Limit)));
    }

    [Fact]
    public void RES_03_a_workspace_inside_a_larger_filesystem_is_refused_naming_file_line_key_path_and_filesystem()
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;

        var error = Assert.Throws<SandboxConfigurationException>(() =>
            DiskLimitMountCheck.Check(Limits, [(workspace, "the workspace")], Table(("/", "ext4")), Free(("/", 70L << 30))));

        Assert.Equal("resource_limits.disk", error.Key);
        Assert.StartsWith(
            $"/r/.airut/sandbox.yaml:4:9: resource_limits.disk: the workspace {workspace} is not a filesystem of its own: it is part of / (ext4, 70 GiB free)",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("The run was not started.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RES_03_a_filesystem_of_its_own_with_more_free_space_than_the_limit_is_refused()
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;

        var error = Assert.Throws<SandboxConfigurationException>(() =>
            DiskLimitMountCheck.Check(Limits, [(workspace, "the workspace")], Table(("/", "ext4"), (workspace, "tmpfs")), Free(("/", 1L << 40), (workspace, Limit + 1))));

        Assert.Contains($"the workspace: the filesystem at {workspace} (tmpfs) has 64 MiB free, more than the 64m disk limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RES_03_a_larger_filesystem_mounted_below_a_writable_mount_is_refused()
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;
        var below = Path.Combine(workspace, "cache");

        var error = Assert.Throws<SandboxConfigurationException>(() =>
            DiskLimitMountCheck.Check(
                Limits, [(workspace, "the workspace")], Table(("/", "ext4"), (workspace, "tmpfs"), (below, "ext4")), Free(("/", 1L << 40), (workspace, Limit), (below, 5L << 30))));

        Assert.Contains($"the filesystem at {below} (ext4) has 5 GiB free", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RES_03_the_last_mount_at_a_point_is_the_one_that_counts()
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;
        var table = MountTable.Parse(
            $"20 1 0:1 / / rw - ext4 /dev/vda rw\n21 20 0:2 / {workspace} rw - tmpfs small rw\n22 21 8:1 /big {workspace} rw - ext4 /dev/vdb rw\n");

        Assert.Throws<SandboxConfigurationException>(() =>
            DiskLimitMountCheck.Check(Limits, [(workspace, "the workspace")], table, path => path == workspace ? 5L << 30 : 1L << 40));
    }

    [Fact]
    public void RES_03_a_symbolic_link_to_a_small_filesystem_is_followed_to_where_the_engine_mounts_from()
    {
        var real = Directory.CreateDirectory(Path.Combine(_root, "real ws")).FullName;
        var link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, real);

        DiskLimitMountCheck.Check(Limits, [(link, "the workspace")], Table(("/", "ext4"), (real, "tmpfs")), Free(("/", 1L << 40), (real, Limit)));
        Assert.Throws<SandboxConfigurationException>(() =>
            DiskLimitMountCheck.Check(Limits, [(link, "the workspace")], Table(("/", "ext4"), (link, "tmpfs")), Free(("/", 1L << 40), (link, Limit))));
    }

    [Fact]
    public void RES_03_every_writable_mount_is_checked_not_only_the_workspace()
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(_root, "cache")).FullName;

        var error = Assert.Throws<SandboxConfigurationException>(() =>
            DiskLimitMountCheck.Check(
                Limits, [(workspace, "the workspace"), (cache, $"the mount {cache}:/cache")], Table(("/", "ext4"), (workspace, "tmpfs")), Free(("/", 1L << 40), (workspace, Limit))));

        Assert.Contains($"the mount {cache}:/cache {cache} is not a filesystem of its own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RES_03_free_space_that_cannot_be_read_refuses_the_run_with_the_reason()
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;

        var error = Assert.Throws<SandboxConfigurationException>(() =>
            DiskLimitMountCheck.Check(Limits, [(workspace, "the workspace")], Table(("/", "ext4"), (workspace, "fuse")), _ => throw new IOException("Transport endpoint is not connected")));

        Assert.Contains($"the free space of the filesystem at {workspace} cannot be read (Transport endpoint is not connected)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mount_points_with_escaped_spaces_tabs_and_backslashes_are_read_back_as_written()
    {
        var table = MountTable.Parse("36 35 98:0 /mnt1 /mnt/my\\040disk\\011x\\134y rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\nnot a mountinfo line\n");

        var entry = Assert.Single(table.Entries);
        Assert.Equal("/mnt/my disk\tx\\y", entry.MountPoint);
        Assert.Equal("ext3", entry.FileSystemType);
        Assert.Equal("/dev/root", entry.Source);
    }

    [Fact]
    public void The_containing_mount_is_the_longest_mount_point_on_a_path_boundary()
    {
        var table = Table(("/", "ext4"), ("/srv", "xfs"), ("/srv/data", "tmpfs"));

        Assert.Equal("/srv/data", table.Containing("/srv/data/x")!.MountPoint);
        Assert.Equal("/srv", table.Containing("/srv/database")!.MountPoint);
        Assert.Equal("/", table.Containing("/home")!.MountPoint);
        Assert.Equal(["/srv/data"], table.Below("/srv").Select(e => e.MountPoint));
        Assert.Equal("tmpfs", Table(("/", "ext4"), ("/srv", "xfs"), ("/srv", "tmpfs")).Containing("/srv/x")!.FileSystemType);
    }

    [Fact]
    public async Task This_process_mount_table_has_a_root_mount()
    {
        var table = await MountTable.ReadAsync(CancellationToken.None);

        Assert.Contains(table.Entries, e => e.MountPoint == "/");
    }
}
