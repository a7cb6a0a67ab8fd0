namespace Airut.Sandbox.Core.Egress;

/// <summary>
/// A path pattern (AL-17): case-sensitive AL-15 matching against the decoded path component of the
/// request target. An empty pattern matches every target. The query is never part of the match (PATH-06
/// hardening), but an exact (non-glob) pattern still refuses a target that carries a query, so
/// <c>/graphql</c> does not admit <c>/graphql?x</c> (AL-17, SEC-8).
/// </summary>
public sealed class PathPattern
{
    private readonly GlobPattern? _glob;

    /// <summary>Compiles the pattern once.</summary>
    public PathPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _glob = pattern.Length == 0 ? null : new GlobPattern(pattern);
    }

    /// <summary>True when the pattern is empty and admits every path.</summary>
    public bool MatchesEverything => _glob is null;

    /// <summary>Matches a checked request path.</summary>
    public bool IsMatch(RequestPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_glob is null)
        {
            return true;
        }

        if (!_glob.IsGlob && path.HasQuery)
        {
            return false;
        }

        return _glob.IsMatch(path.DecodedPath);
    }
}
