using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.EndToEnd.Tests.Faults;

/// <summary>
/// The run directory on a full file system (a small tmpfs this test mounts): the run fails as infrastructure with the
/// OS error, never with a secret, and leaves no container, network or half-written file behind.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class DiskFullTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    private readonly PublishedProxyFixture _proxy;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-faults-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public DiskFullTests(PublishedProxyFixture proxy) => _proxy = proxy;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman", 0)]
    [InlineData("docker", 0)]
    [InlineData("podman", 16)]
    [InlineData("docker", 16)]
    [Trait("Spec", "SEC-09")]
    public async Task SEC_09_CLI_30_a_full_run_directory_file_system_fails_the_run_cleanly_without_leaking_resources_or_the_secret(string engine, int freeKilobytes)
    {
        var real = "ghp_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        await using var sandbox = await SandboxUnderTest.CreateAsync(
            engine, _scratch, _suffix, _proxy.Directory,
            extraConfig: $"masked_secrets:\n  GH_TOKEN:\n    value: \"{real}\"\n    scopes: [\"allowed.test\"]\n    headers: [\"Authorization\"]\n");
        var runs = Path.Combine(_scratch, "runs");
        Directory.CreateDirectory(runs);
        await MustAsync("mount", ["-t", "tmpfs", "-o", "size=256k,mode=0700", $"airut-e2e-{_suffix}", runs]);
        try
        {
            // Fill it to the last page, then give back exactly what the case asks for: nothing (the owner file fails),
            // or a few pages (the first files fit, a later one does not).
            var filler = Path.Combine(runs, "filler");
            await FillAsync(filler);
            using (var handle = File.OpenHandle(filler, FileMode.Open, FileAccess.Write))
            {
                RandomAccess.SetLength(handle, RandomAccess.GetLength(handle) - (freeKilobytes * 1024L));
            }

            var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => sandbox.Runner.RunAsync(
                new SandboxRunRequest { Command = ["echo", "never"], WorkspaceDirectory = sandbox.Workspace }, sandbox.Output, CancellationToken.None));

            Assert.StartsWith("Could not write the run's host files: ", error.Message, StringComparison.Ordinal);
            Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(real, error.ToString(), StringComparison.Ordinal);
            Assert.Empty(sandbox.Output.Stdout);
            Assert.Equal([filler], Directory.EnumerateFileSystemEntries(runs, "*", SearchOption.AllDirectories));
            Assert.DoesNotContain(
                await sandbox.Runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None),
                c => c.Name.StartsWith($"airut-e2e-{_suffix}", StringComparison.Ordinal));
            Assert.DoesNotContain(
                await sandbox.Runtime.ListNetworksAsync(RunLabels.ManagedSelector, CancellationToken.None),
                n => n.Name.StartsWith($"airut-e2e-{_suffix}-conv-", StringComparison.Ordinal));
        }
        finally
        {
            await MustAsync("umount", [runs]);
        }
    }

    private static async Task FillAsync(string path)
    {
        await using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 });
        var page = new byte[4096];
        try
        {
            for (var i = 0; i < 1024; i++)
            {
                await stream.WriteAsync(page);
            }
        }
        catch (IOException)
        {
            return;
        }

        Assert.Fail("the 256k tmpfs never filled up");
    }

    private static async Task MustAsync(string program, string[] arguments)
    {
        var result = await ExternalCommand.RunAsync(program, arguments, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {result.Stderr}");
    }
}
