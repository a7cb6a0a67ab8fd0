using System.Text;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Tests.Images;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ImageCacheTests
{
    private static readonly ImageSource Source = new(Encoding.UTF8.GetBytes("FROM alpine\n"), [new BuildContextFile("a.txt", "A"u8.ToArray())]);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    private readonly InMemoryContainerRuntime _runtime = new();
    private readonly ImageCache _cache;
    private readonly string _tag = ImageCache.TagFor("airut-cli", "repo", Source);

    public ImageCacheTests() => _cache = new ImageCache(_runtime, TimeProvider.System, NullLogger<ImageCache>.Instance);

    [Fact]
    [Trait("Spec", "IMG-01")]
    public void IMG_01_tag_is_prefix_kind_and_content_hash()
    {
        Assert.Equal("airut-cli-repo:" + Source.ContentHash, _tag);
    }

    [Fact]
    [Trait("Spec", "IMG-11")]
    public async Task IMG_11_first_request_builds_with_cache_then_fresh_image_is_reused()
    {
        var first = await _cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None);
        var second = await _cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None);

        Assert.Equal(ImageBuildAction.Build, first.Action);
        Assert.Equal(ImageBuildAction.Reuse, second.Action);
        var build = Assert.Single(_runtime.Builds);
        Assert.False(build.NoCache);
        Assert.Equal(_tag, build.Tag);
        Assert.Equal(Source.ContentHash, build.Labels[ImageCache.ContentHashLabel]);
    }

    [Fact]
    [Trait("Spec", "IMG-11")]
    public async Task IMG_11_stale_image_by_creation_time_is_rebuilt_without_cache()
    {
        _runtime.Clock = () => DateTimeOffset.UtcNow.AddHours(-25);
        await _cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None);
        var cache = new ImageCache(_runtime, TimeProvider.System, NullLogger<ImageCache>.Instance);

        var decision = await cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None);

        Assert.Equal(ImageBuildAction.Rebuild, decision.Action);
        Assert.True(_runtime.Builds.Last().NoCache);
    }

    [Fact]
    public async Task Build_output_reaches_a_registered_progress_observer_tagged_with_the_image()
    {
        var progress = new RecordingBuildProgress();
        var cache = new ImageCache(_runtime, TimeProvider.System, NullLogger<ImageCache>.Instance, progress);

        await cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None);

        Assert.Equal([(_tag, $"STEP 1/1: building {_tag}")], progress.Lines);
    }

    [Fact]
    [Trait("Spec", "IMG-11")]
    public async Task IMG_11_force_rebuilds_a_fresh_image()
    {
        await _cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None);
        var decision = await _cache.EnsureAsync(Source, _tag, Day, force: true, CancellationToken.None);
        Assert.Equal(ImageBuildAction.Rebuild, decision.Action);
        Assert.Equal(2, _runtime.Builds.Count);
    }

    [Fact]
    public async Task Concurrent_requests_for_the_same_tag_build_once_even_when_forced()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _runtime.OnBuild = (_, _) => gate.Task;

        var requests = Enumerable.Range(0, 5)
            .Select(_ => _cache.EnsureAsync(Source, _tag, TimeSpan.Zero, force: true, CancellationToken.None))
            .ToList();
        await Task.Delay(100);
        gate.SetResult();
        var decisions = await Task.WhenAll(requests);

        Assert.Single(_runtime.Builds);
        Assert.Single(decisions, d => d.Action == ImageBuildAction.Build);
        Assert.Equal(4, decisions.Count(d => d.Action == ImageBuildAction.Reuse));
    }

    [Fact]
    public async Task A_request_made_after_a_build_finished_decides_again()
    {
        await _cache.EnsureAsync(Source, _tag, TimeSpan.Zero, force: false, CancellationToken.None);
        var later = await _cache.EnsureAsync(Source, _tag, TimeSpan.Zero, force: false, CancellationToken.None);
        Assert.Equal(ImageBuildAction.Rebuild, later.Action);
    }

    [Fact]
    [Trait("Spec", "IMG-06")]
    public async Task IMG_06_build_context_is_a_fresh_directory_with_only_the_source_files_and_is_removed_after()
    {
        string[] seen = [];
        string? directory = null;
        _runtime.OnBuild = (request, _) =>
        {
            directory = request.ContextDirectory;
            seen = Directory.EnumerateFileSystemEntries(request.ContextDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
            Assert.Equal(Path.Combine(request.ContextDirectory, "Dockerfile"), request.DockerfilePath);
            return Task.CompletedTask;
        };

        await _cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None);

        Assert.Equal(["Dockerfile", "a.txt"], seen);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task A_failed_build_removes_its_directory_and_propagates()
    {
        string? directory = null;
        _runtime.OnBuild = (request, _) =>
        {
            directory = request.ContextDirectory;
            throw new Abstractions.Errors.SandboxInfrastructureException("build failed: boom");
        };

        await Assert.ThrowsAsync<Abstractions.Errors.SandboxInfrastructureException>(
            () => _cache.EnsureAsync(Source, _tag, Day, force: false, CancellationToken.None));
        Assert.False(Directory.Exists(directory));
        Assert.Empty(_runtime.Images);
    }

    private sealed class RecordingBuildProgress : Airut.Sandbox.Abstractions.Runtime.IImageBuildProgress
    {
        public List<(string Tag, string Line)> Lines { get; } = [];

        public void Report(string tag, string line) => Lines.Add((tag, line));
    }
}
