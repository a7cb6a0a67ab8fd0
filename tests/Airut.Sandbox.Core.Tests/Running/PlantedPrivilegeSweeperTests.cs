using System.Runtime.Versioning;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
[SupportedOSPlatform("linux")]
public sealed class PlantedPrivilegeSweeperTests
{
    private const UnixFileMode SetuidShell = (UnixFileMode)0b111_101_101 | UnixFileMode.SetUser;

    [Fact]
    [Trait("Spec", "CT-05")]
    public void CT_05_setuid_and_setgid_bits_are_cleared_at_any_depth_including_hidden_files_and_nothing_else_changes()
    {
        using var temp = new TemporaryDirectory();
        var shallow = temp.Write("rootsh", "x");
        var deep = temp.Write(".hidden/dir/.tool", "x");
        var plain = temp.Write("plain", "x");
        File.SetUnixFileMode(shallow, SetuidShell);
        File.SetUnixFileMode(deep, (UnixFileMode)0b111_101_000 | UnixFileMode.SetGroup);
        File.SetUnixFileMode(plain, (UnixFileMode)0b110_100_100);

        var changed = PlantedPrivilegeSweeper.Sweep(temp.Path);

        Assert.Equal([deep, shallow], changed.Order(StringComparer.Ordinal));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(shallow));
        Assert.Equal((UnixFileMode)0b111_101_000, File.GetUnixFileMode(deep));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(plain));
    }

    [Fact]
    [Trait("Spec", "CT-05")]
    public void CT_05_symbolic_links_are_never_followed_out_of_the_swept_directory()
    {
        using var inside = new TemporaryDirectory();
        using var outside = new TemporaryDirectory();
        var target = outside.Write("tool", "x");
        Directory.CreateDirectory(outside.File("dir"));
        var targetInDirectory = outside.Write("dir/tool", "x");
        File.SetUnixFileMode(target, SetuidShell);
        File.SetUnixFileMode(targetInDirectory, SetuidShell);
        File.CreateSymbolicLink(inside.File("link"), target);
        Directory.CreateSymbolicLink(inside.File("dirlink"), outside.File("dir"));

        Assert.Empty(PlantedPrivilegeSweeper.Sweep(inside.Path));
        Assert.Equal(SetuidShell, File.GetUnixFileMode(target));
        Assert.Equal(SetuidShell, File.GetUnixFileMode(targetInDirectory));
    }
}
