using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>What a body filter sees of a request besides its body (OPT-6).</summary>
/// <param name="Host">The decision host, lower-case.</param>
/// <param name="RawPathAndQuery">The request target as sent.</param>
/// <param name="DecodedPathAndQuery">The request target including its query, percent-decoded once (PX-7), so
/// <c>/%67raphql</c> and <c>/graphql</c> look the same (SEC-4).</param>
/// <param name="MatchedRule">The <c>url_prefixes</c> entry that admitted the request, or null for a <c>domains</c> hit.</param>
public sealed record BodyFilterRequest(
    string Host,
    string RawPathAndQuery,
    string DecodedPathAndQuery,
    UrlPrefixRule? MatchedRule);
