namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>The parsed <c>.airut/network-allowlist.yaml</c> (network.md §1). An empty allowlist blocks everything.</summary>
/// <param name="Domains">Host patterns allowed for every path and method, in document order.</param>
/// <param name="UrlPrefixes">Host + path (+ methods, + GraphQL) entries, in document order.</param>
public sealed record Allowlist(IReadOnlyList<string> Domains, IReadOnlyList<UrlPrefixRule> UrlPrefixes)
{
    /// <summary>The allowlist that blocks every request.</summary>
    public static Allowlist Empty { get; } = new([], []);
}

/// <summary>One <c>url_prefixes</c> entry (AL-7).</summary>
/// <param name="Host">Host pattern (AL-16), never empty.</param>
/// <param name="Path">Path pattern (AL-17); empty matches every path.</param>
/// <param name="Methods">Allowed methods (upper-case); empty admits every method.</param>
/// <param name="GraphQl">When present, the GraphQL operation filter is on for this entry (AL-8).</param>
/// <param name="Location">Where the entry was written, for messages.</param>
public sealed record UrlPrefixRule(
    string Host,
    string Path,
    IReadOnlyList<string> Methods,
    GraphQlRules? GraphQl,
    SourceLocation? Location = null);

/// <summary>The <c>graphql</c> block of a <c>url_prefixes</c> entry (AL-8). Empty lists refuse that operation type.</summary>
public sealed record GraphQlRules(
    IReadOnlyList<string> Queries,
    IReadOnlyList<string> Mutations,
    IReadOnlyList<string> Subscriptions);
