using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Core.Credentials;

/// <summary>A <c>headers</c> pattern of a masked secret (MS-17, MS-18): case-insensitive; a fnmatch glob on the
/// lower-cased name when it contains <c>*</c> or <c>?</c>, else exact. Only patterns free of <c>*?[]</c> count
/// as exact for foreign-credential stripping (SEC-19).</summary>
public sealed class HeaderNamePattern
{
    private readonly GlobPattern _glob;

    /// <summary>Compiles the pattern once.</summary>
    public HeaderNamePattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _glob = new GlobPattern(pattern.ToLowerInvariant());
        IsExact = pattern.AsSpan().IndexOfAny("*?[]") < 0;
    }

    /// <summary>The pattern, lower-cased.</summary>
    public string Pattern => _glob.Pattern;

    /// <summary>True when a miss on this pattern may strip the header (MS-18, MS-26).</summary>
    public bool IsExact { get; }

    /// <summary>Matches a header name in any case.</summary>
    public bool IsMatch(string headerName)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        return _glob.IsGlob
            ? _glob.IsMatch(headerName.ToLowerInvariant())
            : string.Equals(_glob.Pattern, headerName, StringComparison.OrdinalIgnoreCase);
    }
}
