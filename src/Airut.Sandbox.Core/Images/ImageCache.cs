using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Threading;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Images;

/// <summary>
/// Content-addressed images (IMG-01, IMG-10..IMG-14): an image is tagged by the hash of its inputs, reused
/// while fresh, rebuilt without the layer cache when forced or older than the maximum age. Requests for the
/// same tag are serialised, and a request that waited while another built the tag uses that build.
/// </summary>
public sealed partial class ImageCache
{
    /// <summary>Label carrying the content hash on every image this cache builds.</summary>
    public const string ContentHashLabel = "org.airut.sandbox.content-hash";

    private readonly IContainerRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly ILogger<ImageCache> _logger;
    private readonly IImageBuildProgress? _progress;
    private readonly KeyedAsyncLock _locks = new();
    private readonly Dictionary<string, long> _builtAt = new(StringComparer.Ordinal);

    /// <summary>Creates the cache over one runtime; <paramref name="progress"/>, when registered, sees build output.</summary>
    public ImageCache(IContainerRuntime runtime, TimeProvider time, ILogger<ImageCache> logger, IImageBuildProgress? progress = null)
    {
        _runtime = runtime;
        _time = time;
        _logger = logger;
        _progress = progress;
    }

    /// <summary>The tag for an image kind and source: <c>{prefix}-{kind}:{hash}</c> (IMG-01).</summary>
    public static string TagFor(string prefix, string kind, ImageSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return $"{prefix}-{kind}:{source.ContentHash}";
    }

    /// <summary>Makes sure <paramref name="tag"/> exists and is fresh, building it from <paramref name="source"/> when needed.</summary>
    /// <param name="source">The image inputs.</param>
    /// <param name="tag">The tag (normally <see cref="TagFor"/>).</param>
    /// <param name="maxAge">Images older than this (strictly) are rebuilt; zero or less rebuilds every time.</param>
    /// <param name="force">Rebuild even when fresh.</param>
    /// <param name="cancellationToken">Cancels waiting and building.</param>
    /// <returns>The decision that was taken.</returns>
    /// <exception cref="SandboxInfrastructureException">The build failed.</exception>
    public async Task<ImageBuildDecision> EnsureAsync(
        ImageSource source, string tag, TimeSpan maxAge, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var requestedAt = _time.GetTimestamp();
        using (await _locks.AcquireAsync(tag, cancellationToken).ConfigureAwait(false))
        {
            lock (_builtAt)
            {
                if (_builtAt.TryGetValue(tag, out var builtAt) && builtAt >= requestedAt)
                {
                    var joined = new ImageBuildDecision(ImageBuildAction.Reuse, "built by a concurrent request, reusing");
                    LogDecision(tag, joined.Reason);
                    return joined;
                }
            }

            var existing = await _runtime.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
            var decision = ImageBuildDecision.Decide(existing?.Created, _time.GetUtcNow(), maxAge, force);
            LogDecision(tag, decision.Reason);
            if (decision.Action == ImageBuildAction.Reuse)
            {
                return decision;
            }

            await BuildAsync(source, tag, decision.NoCache, cancellationToken).ConfigureAwait(false);
            lock (_builtAt)
            {
                _builtAt[tag] = _time.GetTimestamp();
            }

            return decision;
        }
    }

    private async Task BuildAsync(ImageSource source, string tag, bool noCache, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("airut-build-").FullName;
        try
        {
            source.WriteTo(directory);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ContentHashLabel] = source.ContentHash };
            var request = new ImageBuildRequest(directory, Path.Combine(directory, "Dockerfile"), tag, noCache, labels);
            var progress = _progress is null ? null : new TaggedProgress(_progress, tag);
            await _runtime.BuildImageAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException ex)
            {
                LogCleanupFailed(directory, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tag}: {Reason}")]
    private partial void LogDecision(string tag, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove build directory {Directory}: {Error}")]
    private partial void LogCleanupFailed(string directory, string error);

    /// <summary>Tags each build output line with the image it belongs to.</summary>
    private sealed class TaggedProgress(IImageBuildProgress progress, string tag) : IProgress<string>
    {
        public void Report(string value) => progress.Report(tag, value);
    }
}
