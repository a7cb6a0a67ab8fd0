namespace Airut.Sandbox.Core.Egress;

/// <summary>
/// A request target that passed the unconditional path checks (PX-7 to PX-9, PATH-04), split at its first
/// raw <c>?</c> and decoded once. The decoded form is used only for matching; the proxy forwards the raw target.
/// </summary>
public sealed class RequestPath
{
    private RequestPath(string raw, string decodedPath, bool hasQuery)
    {
        Raw = raw;
        DecodedPath = decodedPath;
        HasQuery = hasQuery;
    }

    /// <summary>The target exactly as sent.</summary>
    public string Raw { get; }

    /// <summary>The part before the first raw <c>?</c>, percent-decoded once. This is what path patterns match.</summary>
    public string DecodedPath { get; }

    /// <summary>True when the raw target has a <c>?</c>.</summary>
    public bool HasQuery { get; }

    /// <summary>The raw query (after the first <c>?</c>), or empty.</summary>
    public ReadOnlySpan<char> RawQuery
    {
        get
        {
            var q = Raw.IndexOf('?', StringComparison.Ordinal);
            return q < 0 ? [] : Raw.AsSpan(q + 1);
        }
    }

    /// <summary>Checks and decodes a raw target. Returns null and a reason when the target is refused whatever
    /// the allowlist says.</summary>
    public static RequestPath? TryParse(string raw, out string? rejection)
    {
        ArgumentNullException.ThrowIfNull(raw);
        foreach (var c in raw)
        {
            if (c <= ' ' || c == '\x7f')
            {
                rejection = "the request target contains whitespace or a control character";
                return null;
            }

            if (c == '#')
            {
                rejection = "the request target contains a raw '#'";
                return null;
            }
        }

        // PX-8 runs on the whole decoded target, query included.
        var decodedFull = PercentDecoding.DecodeOnce(raw);
        if (decodedFull.Contains('\0', StringComparison.Ordinal))
        {
            rejection = "the path contains a NUL byte";
            return null;
        }

        if (decodedFull.Contains('\\', StringComparison.Ordinal))
        {
            rejection = "the path contains a backslash";
            return null;
        }

        if (decodedFull.Contains("/../", StringComparison.Ordinal) ||
            decodedFull.EndsWith("/..", StringComparison.Ordinal))
        {
            rejection = "the path contains a '..' segment";
            return null;
        }

        var rawQuestion = raw.IndexOf('?', StringComparison.Ordinal);
        var hasQuery = rawQuestion >= 0;
        var decodedPath = hasQuery ? PercentDecoding.DecodeOnce(raw[..rawQuestion]) : decodedFull;

        foreach (var c in decodedPath)
        {
            if (c < ' ' || c == '\x7f')
            {
                rejection = "the path contains a control character";
                return null;
            }

            // PATH-06: an encoded '?' is a literal path character here, but a server that decodes before splitting
            // would read the rest as a query, so "/files/secret.txt%3F.tar.gz" could pass "/files/*.tar.gz".
            if (c == '?')
            {
                rejection = "the path contains an encoded '?'";
                return null;
            }
        }

        // PX-9: a '..' segment right before the query or fragment passes the substring checks above.
        var decodedCut = decodedFull.AsSpan();
        var cut = decodedCut.IndexOfAny('?', '#');
        if (cut >= 0)
        {
            decodedCut = decodedCut[..cut];
        }

        if (HasDotDotSegment(decodedCut) || HasDotDotSegment(decodedPath))
        {
            rejection = "the path contains a '..' segment";
            return null;
        }

        rejection = null;
        return new RequestPath(raw, decodedPath, hasQuery);
    }

    // A segment "..", or "..;params" which Java servlet containers resolve as "..".
    private static bool HasDotDotSegment(ReadOnlySpan<char> path)
    {
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.StartsWith("..", StringComparison.Ordinal) &&
                (segment.Length == 2 || segment[2] == ';'))
            {
                return true;
            }
        }

        return false;
    }
}
