using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Airut.Sandbox.Core.Egress;

/// <summary>
/// A pattern with Python <c>fnmatch</c> semantics (AL-15): a pattern is a glob only when it contains
/// <c>*</c> or <c>?</c>; otherwise it matches by ordinal equality and brackets are literal. A glob must match the
/// whole subject; <c>*</c> and <c>?</c> match any character including <c>/</c> and newlines; <c>[...]</c> is a
/// class (<c>!</c> negates); an unclosed <c>[</c> is literal. Case handling is the caller's (hosts lower-case both sides).
/// </summary>
public sealed class GlobPattern
{
    // NonBacktracking keeps matching linear in the subject length: subjects are attacker-controlled and a
    // pattern such as "*a*a*a*b" would otherwise backtrack polynomially on a long path.
    private const RegexOptions Options =
        RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking;

    private readonly Regex? _regex;

    // Most globs are one run of stars between literals ("*.github.com", "/repos/foo*", "/api/*"); those are matched
    // with StartsWith/EndsWith, which means the same thing as the regex at a fraction of the cost.
    private readonly string? _literalPrefix;
    private readonly string? _literalSuffix;

    /// <summary>Compiles the pattern once.</summary>
    /// <param name="pattern">The pattern text.</param>
    public GlobPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        IsGlob = ContainsGlobCharacter(pattern);
        if (!IsGlob)
        {
            return;
        }

        var firstStar = pattern.IndexOf('*', StringComparison.Ordinal);
        var lastStar = pattern.LastIndexOf('*');
        var singleStarRun = firstStar >= 0 && pattern.AsSpan(firstStar, lastStar - firstStar + 1).IndexOfAnyExcept('*') < 0;
        if (singleStarRun && pattern.AsSpan().IndexOfAny('?', '[') < 0)
        {
            _literalPrefix = pattern[..firstStar];
            _literalSuffix = pattern[(lastStar + 1)..];
        }
        else
        {
            _regex = new Regex(ToRegex(pattern), Options);
        }
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern contains <c>*</c> or <c>?</c> and is matched as a glob.</summary>
    public bool IsGlob { get; }

    /// <summary>True when the pattern contains <c>*</c> or <c>?</c>.</summary>
    public static bool ContainsGlobCharacter(string pattern) =>
        pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Matches the whole subject.</summary>
    public bool IsMatch(string subject)
    {
        if (_regex is not null)
        {
            return _regex.IsMatch(subject);
        }

        if (_literalPrefix is null || _literalSuffix is null)
        {
            return string.Equals(Pattern, subject, StringComparison.Ordinal);
        }

        return subject.Length >= _literalPrefix.Length + _literalSuffix.Length
            && subject.StartsWith(_literalPrefix, StringComparison.Ordinal)
            && subject.EndsWith(_literalSuffix, StringComparison.Ordinal);
    }

    /// <summary>Translates a glob into an anchored .NET regex (<c>^...\z</c>), as <c>fnmatch.translate</c> does.</summary>
    public static string ToRegex(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        var regex = new StringBuilder("^", glob.Length * 2 + 4);
        var i = 0;
        while (i < glob.Length)
        {
            var c = glob[i++];
            switch (c)
            {
                case '*':
                    // Consecutive stars mean the same as one.
                    while (i < glob.Length && glob[i] == '*')
                    {
                        i++;
                    }

                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    i = AppendClass(glob, i, regex);
                    break;
                default:
                    AppendLiteral(regex, c);
                    break;
            }
        }

        return regex.Append(@"\z").ToString();
    }

    // i is the index just after '['. Returns the index after the class, or i when '[' is literal.
    private static int AppendClass(string glob, int i, StringBuilder regex)
    {
        var j = i;
        if (j < glob.Length && glob[j] == '!')
        {
            j++;
        }

        // A ']' right after '[' or '[!' is a member, not the end.
        if (j < glob.Length && glob[j] == ']')
        {
            j++;
        }

        while (j < glob.Length && glob[j] != ']')
        {
            j++;
        }

        if (j >= glob.Length)
        {
            AppendLiteral(regex, '[');
            return i;
        }

        var body = glob.AsSpan(i, j - i);
        var negate = body.Length > 0 && body[0] == '!';
        if (negate)
        {
            body = body[1..];
        }

        var members = new StringBuilder();
        var k = 0;
        while (k < body.Length)
        {
            if (k + 2 < body.Length && body[k + 1] == '-')
            {
                var low = body[k];
                var high = body[k + 2];
                // fnmatch drops reversed ranges rather than failing.
                if (low <= high)
                {
                    AppendClassChar(members, low).Append('-');
                    AppendClassChar(members, high);
                }

                k += 3;
            }
            else
            {
                AppendClassChar(members, body[k]);
                k++;
            }
        }

        if (members.Length == 0)
        {
            // An empty set never matches; its negation matches any one character.
            regex.Append(negate ? "." : "(?!)");
        }
        else
        {
            regex.Append(negate ? "[^" : "[").Append(members).Append(']');
        }

        return j + 1;
    }

    private static StringBuilder AppendClassChar(StringBuilder builder, char c) =>
        builder.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));

    private static void AppendLiteral(StringBuilder regex, char c)
    {
        if (char.IsAsciiLetterOrDigit(c))
        {
            regex.Append(c);
        }
        else
        {
            AppendClassChar(regex, c);
        }
    }
}
