using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Proxy.BodyFilters.Anthropic;

/// <summary>
/// The hosts the allowlist opens for GET on every path (OPT-7): a <c>domains</c> pattern matches, or a
/// <c>url_prefixes</c> entry with an empty path matches and its methods are empty or include GET. Only such hosts
/// may be handed to a provider-side fetch tool, whose domain lists are host-only. A candidate that is not a plain
/// host name (a path, a port, a space) is never open: a glob such as <c>*.allowed.test</c> would otherwise match
/// <c>evil.test/x.allowed.test</c>.
/// </summary>
public sealed class GetOpenHosts
{
    private readonly HostPattern[] _patterns;

    /// <summary>Compiles the qualifying entries of <paramref name="allowlist"/>.</summary>
    public GetOpenHosts(Allowlist allowlist)
    {
        ArgumentNullException.ThrowIfNull(allowlist);
        _patterns =
        [
            .. allowlist.Domains.Select(d => new HostPattern(d)),
            .. allowlist.UrlPrefixes
                .Where(r => r.Path.Length == 0 && (r.Methods.Count == 0 || r.Methods.Any(m => m.Equals("GET", StringComparison.OrdinalIgnoreCase))))
                .Select(r => new HostPattern(r.Host)),
        ];
    }

    /// <summary>True when GET to any path on <paramref name="host"/> is allowed.</summary>
    public bool Contains(string host)
    {
        var normalized = DecisionHost.Normalize(host);
        return normalized is not null && _patterns.Any(p => p.IsMatch(normalized));
    }
}
