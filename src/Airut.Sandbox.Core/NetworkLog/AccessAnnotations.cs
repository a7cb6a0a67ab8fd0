namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// The bracketed tags that may follow an access line's status (LOG-5). They are always written in this order:
/// filter tags (pipeline order), credential info, <c>[masked: N]</c>, <c>[dropped: N]</c>, <c>[region: R]</c>.
/// </summary>
public sealed record AccessAnnotations
{
    /// <summary>The longest tag text kept; longer text is cut and gets <see cref="TruncationSuffix"/> (LOG-15).</summary>
    public const int MaxTagLength = 1000;

    /// <summary>Appended to a cut tag.</summary>
    public const string TruncationSuffix = "… (truncated)";

    /// <summary>No tags.</summary>
    public static AccessAnnotations None { get; } = new();

    /// <summary>Request-body filter tags, in pipeline order.</summary>
    public IReadOnlyList<FilterTag> FilterTags { get; init; } = [];

    /// <summary>The credential-info tag's text without brackets, e.g. <c>github-app: cached, graphql-scoped</c>.</summary>
    public string? CredentialInfo { get; init; }

    /// <summary>How many surrogates were replaced with real values; tagged when above zero.</summary>
    public int Masked { get; init; }

    /// <summary>How many foreign credential headers were dropped; tagged when above zero.</summary>
    public int Dropped { get; init; }

    /// <summary>The AWS region the request was re-signed for; tagged when non-empty.</summary>
    public string? Region { get; init; }
}
