using System.Text;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Core.Tests.Engines;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Tests.Images;

[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class ImageCacheRuntimeTests
{
    [Theory]
    [MemberData(nameof(RealEngines.Names), MemberType = typeof(RealEngines))]
    [Trait("Spec", "IMG-11")]
    public async Task IMG_11_a_real_engine_builds_once_reuses_by_creation_time_and_rebuilds_when_forced(string engine)
    {
        var runtime = RealEngines.Create(engine);
        try
        {
            var marker = Guid.NewGuid().ToString("N");
            var source = new ImageSource(
                Encoding.UTF8.GetBytes($"FROM {RealEngines.BaseImage}\nCOPY marker.txt /marker.txt\nCOPY run.sh /run.sh\n"),
                [new BuildContextFile("marker.txt", Encoding.UTF8.GetBytes(marker)), new BuildContextFile("run.sh", "#!/bin/sh\necho ok\n"u8.ToArray(), Executable: true)]);
            var tag = ImageCache.TagFor("airut-test-" + marker[..8], "repo", source);
            var cache = new ImageCache(runtime, TimeProvider.System, NullLogger<ImageCache>.Instance);
            try
            {
                var first = await cache.EnsureAsync(source, tag, TimeSpan.FromHours(24), force: false, CancellationToken.None);
                var built = await runtime.InspectImageAsync(tag, CancellationToken.None);
                var second = await cache.EnsureAsync(source, tag, TimeSpan.FromHours(24), force: false, CancellationToken.None);
                await Task.Delay(1100);
                var forced = await cache.EnsureAsync(source, tag, TimeSpan.FromHours(24), force: true, CancellationToken.None);
                var rebuilt = await runtime.InspectImageAsync(tag, CancellationToken.None);

                Assert.Equal(ImageBuildAction.Build, first.Action);
                Assert.NotNull(built);
                Assert.InRange(built.Created, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
                Assert.Equal(source.ContentHash, built.Labels[ImageCache.ContentHashLabel]);
                Assert.Equal(ImageBuildAction.Reuse, second.Action);
                Assert.Equal(ImageBuildAction.Rebuild, forced.Action);
                Assert.True(rebuilt!.Created > built.Created);
            }
            finally
            {
                await runtime.RemoveImageAsync(tag, CancellationToken.None);
            }
        }
        finally
        {
            (runtime as IDisposable)?.Dispose();
        }
    }
}
