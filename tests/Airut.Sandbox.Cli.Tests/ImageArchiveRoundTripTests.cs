using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests;

/// <summary><c>image save</c> then <c>image load</c> through the built CLI restore the same content-addressed tags (CLI-11, CLI-12).</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class ImageArchiveRoundTripTests : IDisposable
{
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("airut-cli-images-");

    public void Dispose() => _workspace.Delete(recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    public async Task CLI_11_CLI_12_saved_images_load_back_under_the_same_tags(string engine)
    {
        var context = Directory.CreateDirectory(Path.Combine(_workspace.FullName, ".airut", "container"));
        // A unique context file gives this test its own repository tag, so removing it cannot disturb other tests.
        File.WriteAllText(Path.Combine(context.FullName, "Dockerfile"), "FROM localhost/airut/client:bookworm\nCOPY marker.txt /marker.txt\n");
        File.WriteAllText(Path.Combine(context.FullName, "marker.txt"), Guid.NewGuid().ToString("N"));
        var repositoryTag = ImageCache.TagFor("airut-cli", "repo", RepositoryImageSourceReader.Read(
            Path.Combine(context.FullName, "Dockerfile"), context.FullName));
        var archives = Path.Combine(_workspace.FullName, "cache");

        try
        {
            var save = await CliProcess.RunAsync(_workspace.FullName, "image", "save", archives, "--container-command", engine);
            Assert.True(save.ExitCode == 0, save.Stderr);
            Assert.True(new FileInfo(Path.Combine(archives, "repo.tar")).Length > 0);
            Assert.True(new FileInfo(Path.Combine(archives, "proxy.tar")).Length > 0);

            await RemoveImageAsync(engine, repositoryTag);
            Assert.False(await ImageExistsAsync(engine, repositoryTag));

            var load = await CliProcess.RunAsync(_workspace.FullName, "image", "load", archives, "--container-command", engine);
            Assert.True(load.ExitCode == 0, load.Stderr);
            Assert.True(await ImageExistsAsync(engine, repositoryTag), $"{repositoryTag} is not back after image load");
        }
        finally
        {
            await RemoveImageAsync(engine, repositoryTag);
        }
    }

    private static async Task<bool> ImageExistsAsync(string engine, string tag) =>
        (await ExternalCommand.RunAsync(engine, ["image", "inspect", tag], TimeSpan.FromMinutes(1))).ExitCode == 0;

    private static async Task RemoveImageAsync(string engine, string tag) =>
        await ExternalCommand.RunAsync(engine, ["rmi", "-f", tag], TimeSpan.FromMinutes(1));
}
