namespace Airut.Sandbox.Core.Aws;

/// <summary>Signing-scope host patterns (credentials-cli.md MS-15): case-insensitive; a pattern with <c>*</c> or
/// <c>?</c> is an fnmatch glob (<c>*</c> any run including dots, <c>?</c> one character, <c>[…]</c> classes);
/// any other pattern is compared exactly.</summary>
public static class AwsHostScope
{
    /// <summary>True when <paramref name="host"/> (no port) matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string host)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(host);
        var p = pattern.ToLowerInvariant();
        var h = host.ToLowerInvariant();
        return p.AsSpan().IndexOfAny('*', '?') < 0 ? p == h : Glob(p, 0, h, 0);
    }

    /// <summary>True when any of <paramref name="patterns"/> matches.</summary>
    public static bool MatchesAny(IEnumerable<string> patterns, string host) =>
        patterns.Any(pattern => Matches(pattern, host));

    // Iterative glob with single-star backtracking: linear in practice, no recursion depth to exploit.
    private static bool Glob(string p, int pi, string s, int si)
    {
        int starP = -1, starS = -1;
        while (si < s.Length)
        {
            if (pi < p.Length && p[pi] == '*')
            {
                starP = pi++;
                starS = si;
                continue;
            }

            if (pi < p.Length && TryMatchOne(p, ref pi, s[si], out var matched) && matched)
            {
                si++;
                continue;
            }

            if (starP < 0)
            {
                return false;
            }

            pi = starP + 1;
            si = ++starS;
        }

        while (pi < p.Length && p[pi] == '*')
        {
            pi++;
        }

        return pi == p.Length;
    }

    // Matches one pattern element at p[pi] against c and advances pi past it when it matched.
    private static bool TryMatchOne(string p, ref int pi, char c, out bool matched)
    {
        if (p[pi] == '?')
        {
            pi++;
            matched = true;
            return true;
        }

        if (p[pi] == '[')
        {
            var end = p.IndexOf(']', pi + 2);
            if (end > pi)
            {
                var negate = p[pi + 1] is '!' or '^';
                var start = negate ? pi + 2 : pi + 1;
                var inClass = false;
                for (var k = start; k < end; k++)
                {
                    if (k + 2 < end && p[k + 1] == '-')
                    {
                        inClass |= c >= p[k] && c <= p[k + 2];
                        k += 2;
                    }
                    else
                    {
                        inClass |= c == p[k];
                    }
                }

                matched = inClass != negate;
                if (matched)
                {
                    pi = end + 1;
                }

                return true;
            }
        }

        matched = p[pi] == c;
        if (matched)
        {
            pi++;
        }

        return true;
    }
}
