using System.Globalization;

namespace Airut.Sandbox.Core.Images;

/// <summary>What to do with a tagged image (IMG-11).</summary>
public enum ImageBuildAction
{
    /// <summary>The image exists and is fresh: use it.</summary>
    Reuse,

    /// <summary>The tag does not exist: build with the layer cache.</summary>
    Build,

    /// <summary>The image exists but is forced or stale: build without the layer cache.</summary>
    Rebuild,
}

/// <summary>The decision for one image and why (the reason is the IMG-14 log text).</summary>
/// <param name="Action">What to do.</param>
/// <param name="Reason">Log text without the tag, for example <c>age 2h5m &gt; 24h max, rebuilding (no_cache=True)</c>.</param>
public sealed record ImageBuildDecision(ImageBuildAction Action, string Reason)
{
    /// <summary>True when the build must not use the layer cache.</summary>
    public bool NoCache => Action == ImageBuildAction.Rebuild;

    /// <summary>
    /// Decides per IMG-11: missing → build (with cache, even when <paramref name="maxAge"/> is zero);
    /// forced or a zero or negative max age → rebuild; age strictly greater than the max age → rebuild; otherwise reuse.
    /// </summary>
    /// <param name="created">The image's creation time, or null when the tag is missing.</param>
    /// <param name="now">The current time.</param>
    /// <param name="maxAge">The maximum age.</param>
    /// <param name="force">Rebuild regardless of age.</param>
    public static ImageBuildDecision Decide(DateTimeOffset? created, DateTimeOffset now, TimeSpan maxAge, bool force)
    {
        if (created is null)
        {
            return new(ImageBuildAction.Build, "not found, building (no_cache=False)");
        }

        var age = now - created.Value;
        if (force || maxAge <= TimeSpan.Zero)
        {
            return new(ImageBuildAction.Rebuild, $"age {FormatAge(age)}, force-rebuilding (no_cache=True)");
        }

        var hours = maxAge.TotalHours.ToString("0.##", CultureInfo.InvariantCulture);
        return age > maxAge
            ? new(ImageBuildAction.Rebuild, $"age {FormatAge(age)} > {hours}h max, rebuilding (no_cache=True)")
            : new(ImageBuildAction.Reuse, $"age {FormatAge(age)} <= {hours}h max, reusing");
    }

    /// <summary>Formats an age as <c>XhYm</c>, <c>XmYs</c> or <c>Xs</c> (IMG-14); negative ages (clock skew) show as <c>0s</c>.</summary>
    public static string FormatAge(TimeSpan age)
    {
        var seconds = Math.Max(0L, (long)age.TotalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60}m")
            : seconds >= 60
                ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60}s")
                : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }
}
