namespace Airut.Sandbox.Core.Configuration;

/// <summary>Finds the allowed key a misspelt one was probably meant to be (<c>method</c> → <c>methods</c>).</summary>
internal static class KeySuggestion
{
    /// <summary>
    /// The closest allowed key (ignoring case, '-' for '_') that is within two edits or shares its first four
    /// characters (<c>allow_foreign</c> → <c>allow_foreign_credentials</c>, <c>query</c> → <c>queries</c>); null when none is close.
    /// </summary>
    public static string? For(string unknown, IReadOnlyList<string> allowed)
    {
        var normalized = unknown.ToLowerInvariant().Replace('-', '_');
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in allowed)
        {
            var distance = EditDistance(normalized, candidate);
            var close = distance <= 2 || CommonPrefixLength(normalized, candidate) >= 4;
            if (close && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static int CommonPrefixLength(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return length;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
