using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Runtime;

/// <summary>Image build, inspect, save, load and remove on the real dockerd, from the offline base image only.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class DockerImageTests : IAsyncLifetime
{
    private readonly DockerTestEnvironment _env = new();
    private readonly Unit.TempDirectory _dir = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
        _dir.Dispose();
    }

    private DockerRuntime Runtime => _env.Runtime;

    private string Tag(string what)
    {
        var tag = $"localhost/airut-dkt-{what}:{_env.RunId}";
        _env.TrackImage(tag);
        return tag;
    }

    [Fact]
    public async Task An_image_builds_from_a_context_with_labels_and_its_files_and_modes()
    {
        _dir.Write("ctx/Dockerfile", $"FROM {DockerTestEnvironment.BaseImage}\nCOPY tool.sh /usr/local/bin/tool\nCOPY data /data\nCMD [\"/usr/local/bin/tool\"]\n");
        _dir.Write("ctx/tool.sh", "#!/bin/sh\ncat /data/nested/message.txt\n", (UnixFileMode)0x1ED);
        _dir.Write("ctx/data/nested/message.txt", "built by docker\n");
        var tag = Tag("build");
        var progress = new List<string>();

        await Runtime.BuildImageAsync(
            new ImageBuildRequest(Path.Combine(_dir.Path, "ctx"), "Dockerfile", tag, NoCache: true, new Dictionary<string, string> { ["airut.hash"] = "abc123" }),
            new SynchronousProgress(progress),
            DockerTestEnvironment.Timeout(300));

        Assert.Contains(progress, line => line.StartsWith("Step 1/", StringComparison.Ordinal));
        var image = await Runtime.InspectImageAsync(tag, DockerTestEnvironment.Timeout());
        Assert.NotNull(image);
        Assert.Contains(tag, image.Tags);
        Assert.Equal("abc123", image.Labels["airut.hash"]);
        Assert.True(image.Created > DateTimeOffset.UtcNow.AddHours(-1));
        var (exit, stdout, _) = await _env.RunAsync("built", "/usr/local/bin/tool", spec => spec with { Image = tag });
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("built by docker\n", stdout);
    }

    [Fact]
    public async Task A_Dockerfile_outside_the_context_is_sent_along()
    {
        _dir.Write("ctx/payload.txt", "payload\n");
        var dockerfile = _dir.Write("elsewhere/sandbox.Dockerfile", $"FROM {DockerTestEnvironment.BaseImage}\nCOPY payload.txt /payload.txt\n");
        var tag = Tag("outside");

        await Runtime.BuildImageAsync(
            new ImageBuildRequest(Path.Combine(_dir.Path, "ctx"), dockerfile, tag, NoCache: false, new Dictionary<string, string>()), null, DockerTestEnvironment.Timeout(300));

        var (_, stdout, _) = await _env.RunAsync("outside", "cat /payload.txt", spec => spec with { Image = tag });
        Assert.Equal("payload\n", stdout);
    }

    [Fact]
    public async Task A_failing_build_step_fails_with_the_daemons_message()
    {
        _dir.Write("ctx/Dockerfile", $"FROM {DockerTestEnvironment.BaseImage}\nRUN echo about to fail && exit 7\n");
        var tag = Tag("fail");

        var ex = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Runtime.BuildImageAsync(
            new ImageBuildRequest(Path.Combine(_dir.Path, "ctx"), "Dockerfile", tag, NoCache: true, new Dictionary<string, string>()), null, DockerTestEnvironment.Timeout(300)));

        Assert.Contains("returned a non-zero code: 7", ex.Message, StringComparison.Ordinal);
        Assert.Null(await Runtime.InspectImageAsync(tag, DockerTestEnvironment.Timeout()));
    }

    [Fact]
    public async Task Loading_something_that_is_not_an_image_archive_fails()
    {
        var archive = _dir.Write("junk.tar", "this is not a tar archive");

        await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Runtime.LoadImagesAsync(archive, DockerTestEnvironment.Timeout()));
    }

    private sealed class SynchronousProgress(List<string> target) : IProgress<string>
    {
        public void Report(string value) => target.Add(value);
    }
}
