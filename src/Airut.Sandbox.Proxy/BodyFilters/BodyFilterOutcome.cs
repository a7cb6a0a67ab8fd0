using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Core.NetworkLog;

namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>What the whole pipeline decided: a 403 body when a filter blocked, and the tags for the access line.</summary>
/// <param name="Block">The 403 body (PX-13d/e), or null when the request may go on to the credential stage.</param>
/// <param name="Tags">The filters' tags, in pipeline order (LOG-5).</param>
public sealed record BodyFilterOutcome(BlockResponse? Block, IReadOnlyList<FilterTag> Tags)
{
    /// <summary>No filter applied.</summary>
    public static BodyFilterOutcome NotFiltered { get; } = new(null, []);
}
