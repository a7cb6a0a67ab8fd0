using System.Text.Json;

namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>
/// The JSON reading rules of every body filter: duplicate property names anywhere are an error (GH-01 HARDEN: the
/// proxy and the upstream parser could each pick a different one of two <c>query</c> keys), comments and trailing
/// commas are errors, and nesting is bounded so that a hostile body cannot exhaust the stack (GH-02).
/// </summary>
public static class StrictJson
{
    /// <summary>Document options with the given depth bound.</summary>
    public static JsonDocumentOptions Options(int maxDepth) => new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = maxDepth,
    };
}
