namespace Airut.Sandbox.Core.Egress;

/// <summary>A host pattern (AL-16): case-insensitive (both sides lower-cased, invariant culture), then AL-15.
/// No trailing-dot normalisation and no IDNA conversion. Also used for masking and signing scopes (MS-15).</summary>
public sealed class HostPattern
{
    private readonly GlobPattern _glob;

    /// <summary>Compiles the pattern once.</summary>
    public HostPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _glob = new GlobPattern(pattern.ToLowerInvariant());
    }

    /// <summary>The pattern, lower-cased.</summary>
    public string Pattern => _glob.Pattern;

    /// <summary>Matches a host name in any case.</summary>
    public bool IsMatch(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return _glob.IsMatch(host.ToLowerInvariant());
    }

    // For hosts already lower-cased by DecisionHost.Normalize: saves a scan per pattern on the hot path.
    internal bool IsMatchLowerCase(string lowerCaseHost) => _glob.IsMatch(lowerCaseHost);
}
