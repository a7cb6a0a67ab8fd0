using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Abstractions.Egress;

/// <summary>The outcome of <see cref="IEgressPolicy.Evaluate"/>.</summary>
/// <param name="Allowed">True when the request may be forwarded.</param>
/// <param name="Reason">Why, for logs and tests.</param>
/// <param name="MatchedRule">The <c>url_prefixes</c> entry that admitted the request; null for a <c>domains</c> hit or a block.</param>
/// <param name="Block">The 403 body fields when blocked; null when allowed.</param>
public sealed record EgressDecision(
    bool Allowed,
    EgressReason Reason,
    UrlPrefixRule? MatchedRule,
    BlockResponse? Block);

/// <summary>Why a request was allowed or blocked.</summary>
public enum EgressReason
{
    /// <summary>A <c>domains</c> entry matched.</summary>
    DomainMatched,

    /// <summary>A <c>url_prefixes</c> entry matched host, path and method.</summary>
    UrlPrefixMatched,

    /// <summary>No entry matched host and path.</summary>
    NotAllowlisted,

    /// <summary>An entry matched host and path but not the method (SEC-13).</summary>
    MethodNotAllowed,

    /// <summary>The path is refused whatever the allowlist says (NUL, backslash, traversal, control characters).</summary>
    UnsafePath,

    /// <summary>The method is refused whatever the allowlist says (TRACE, invalid token, method override).</summary>
    UnsafeMethod,

    /// <summary>The host is not a valid host name.</summary>
    InvalidHost,
}
