using System.Text;

namespace Airut.Sandbox.Testing.Fuzzing;

/// <summary>
/// A small deterministic mutator of YAML configuration documents (no property-testing package is available here).
/// One seed gives one mutated document: the same seed always gives the same bytes, so a failure is reproduced from
/// the seed alone and no document (which may hold test secrets) has to be printed. Mutations cover what a hostile
/// or careless <c>.airut/</c> file can hold: wrong types, unknown and misspelt keys, broken structure, encodings,
/// huge values, deep nesting, alias bombs, anchors, tags, duplicate keys, control characters and <c>!env</c> names
/// that are not set.
/// </summary>
public sealed class ConfigDocumentMutator
{
    /// <summary>The name every <c>!env</c> mutation uses for a variable that is never set.</summary>
    public const string MissingVariable = "AIRUT_FUZZ_NOT_SET";

    private static readonly string[] ReplacementValues =
    [
        "[x, y]", "{a: 1}", "[]", "{}", "123", "-1", "0", "1e309", "0x1F", "0o17", "yes", "no", "on", "off", "true", "~", "null",
        "\"\"", "''", "\"a\\tb\"", "\"\\0\"", "\"\\x01\"", "'x'", "2024-01-01", ".inf", "-.nan", "\"*\"", "\"-x\"", "\" \"", "x y z",
        "|\n  block text\n", ">-\n  folded\n", "\"--privileged\"", "\"a\\nb\"", "'#not-a-comment'", "@reserved", "`backtick",
        "\"\\uD800\"", "!!binary YQ==", "[[[]]]", "{a: [b, {c: d}]}", "- item", "? key", "*.", "GET", "/x", "a.test:443",
        "http://a.test", "127.0.0.1", "::1", "999999999999999999999999", "-0.0", "1_000", "0b101",
    ];

    private static readonly string[] Tags =
    [
        "!env", "!var", "!!python/object/apply:os.system", "!!python/object:os.system", "!!str", "!!int", "!!float", "!!bool",
        "!!null", "!!map", "!!seq", "!!set", "!!omap", "!!binary", "!!timestamp", "!custom", "!<tag:yaml.org,2002:str>", "!",
        "!!merge", "!e!x",
    ];

    private static readonly string[] ControlCharacters =
    [
        "\t", "\0", "\u0001", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029", "\u200b", "\r", "\uFEFF", "\uFFFE", "\u00a0", "\b", "\f", "\v",
    ];

    private static readonly string[] Punctuation = [":", "-", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "#", "?", " ", "\n", ": "];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ];

    private readonly Random _random;
    private readonly List<string> _applied = [];

    private ConfigDocumentMutator(int seed) => _random = new Random(seed);

    /// <summary>The names of the mutations applied, in order (safe to print: they hold no document text).</summary>
    public IReadOnlyList<string> Applied => _applied;

    /// <summary>The mutated document's bytes.</summary>
    public byte[] Bytes { get; private set; } = [];

    /// <summary>Mutates <paramref name="document"/> (valid YAML, block style, two-space indents) with the given seed.</summary>
    public static ConfigDocumentMutator Mutate(string document, int seed)
    {
        ArgumentNullException.ThrowIfNull(document);
        var mutator = new ConfigDocumentMutator(seed);
        mutator.Run(document);
        return mutator;
    }

    /// <summary>Derives the seed of iteration <paramref name="iteration"/> from a run's base seed, spreading neighbours apart.</summary>
    public static int SeedFor(int baseSeed, int iteration) => unchecked((baseSeed * 486187739) ^ (iteration * 16777619) ^ 0x5bd1e995);

    private void Run(string document)
    {
        var lines = document.TrimEnd('\n').Split('\n').ToList();
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            MutateLines(lines);
        }

        var text = string.Join('\n', lines) + (_random.Next(8) == 0 ? string.Empty : "\n");
        Bytes = _random.Next(6) == 0 ? MutateBytes(text) : new UTF8Encoding(false).GetBytes(text);
    }

    private void MutateLines(List<string> lines)
    {
        if (lines.Count == 0)
        {
            lines.Add("x: 1");
        }

        switch (_random.Next(24))
        {
            case 0 or 1 or 2: ReplaceValue(lines); break;
            case 3: InsertUnknownKey(lines); break;
            case 4: RenameKey(lines); break;
            case 5: Apply("duplicate-line", () => { var i = Line(lines); lines.Insert(i, lines[i]); }); break;
            case 6: Apply("delete-line", () => lines.RemoveAt(Line(lines))); break;
            case 7: Apply("swap-lines", () => { var a = Line(lines); var b = Line(lines); (lines[a], lines[b]) = (lines[b], lines[a]); }); break;
            case 8: Reindent(lines); break;
            case 9: InsertAt(lines, "control-character", Pick(ControlCharacters)); break;
            case 10: HugeValue(lines); break;
            case 11: DeepNesting(lines); break;
            case 12: AliasBomb(lines); break;
            case 13: AnchorAndAlias(lines); break;
            case 14: Tag(lines); break;
            case 15: MissingEnv(lines); break;
            case 16: Documents(lines); break;
            case 17: InsertAt(lines, "punctuation", Pick(Punctuation)); break;
            case 18: InsertBefore(lines, "merge-key", indent => indent + "<<: *base"); break;
            case 19: InsertBefore(lines, "complex-key", indent => indent + "? [a, b]\n" + indent + ": c"); break;
            case 20: Truncate(lines); break;
            case 21: ReplaceDocument(lines); break;
            case 22: LongKey(lines); break;
            default: ManyItems(lines); break;
        }
    }

    private void ReplaceValue(List<string> lines)
    {
        var value = Pick(ReplacementValues);
        Apply("replace-value", () => SetValue(lines, ValueLine(lines), value));
    }

    private void InsertUnknownKey(List<string> lines) => Apply("unknown-key", () =>
    {
        var i = Line(lines);
        lines.Insert(i + 1, Indent(lines[i]) + Pick(["bogus", "Env", "scope", "method", "domain", "networkSandbox", "value2", "x-y"]) + ": 1");
    });

    private void RenameKey(List<string> lines) => Apply("rename-key", () =>
    {
        var i = KeyLine(lines);
        var line = lines[i];
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var start = Indent(line).Length + (line.TrimStart().StartsWith("- ", StringComparison.Ordinal) ? 2 : 0);
        if (colon <= start)
        {
            return;
        }

        var key = line[start..colon];
        var renamed = _random.Next(5) switch
        {
            0 => key.Length > 1 ? key.Remove(_random.Next(key.Length), 1) : key + key,
            1 => char.IsUpper(key[0]) ? key.ToLowerInvariant() : key.ToUpperInvariant(),
            2 => key + Pick(["s", "_", " ", "\t", ".x"]),
            3 => "\"" + key + "\"",
            _ => string.Empty,
        };
        lines[i] = line[..start] + renamed + line[colon..];
    });

    private void InsertBefore(List<string> lines, string name, Func<string, string> line) => Apply(name, () =>
    {
        var i = Line(lines);
        lines.Insert(i, line(Indent(lines[i])));
    });

    private void Reindent(List<string> lines) => Apply("reindent", () =>
    {
        var i = Line(lines);
        var trimmed = lines[i].TrimStart(' ');
        var indent = lines[i].Length - trimmed.Length;
        lines[i] = _random.Next(4) switch
        {
            0 => new string(' ', indent + 1 + _random.Next(3)) + trimmed,
            1 => new string(' ', Math.Max(0, indent - 1 - _random.Next(3))) + trimmed,
            2 => "\t" + trimmed,
            _ => trimmed,
        };
    });

    private void InsertAt(List<string> lines, string name, string text) => Apply(name, () =>
    {
        var i = Line(lines);
        var at = _random.Next(lines[i].Length + 1);
        lines[i] = lines[i].Insert(at, text);
    });

    private void HugeValue(List<string> lines)
    {
        // Up to twice the 1 MiB cap, so both sides of it are reached.
        var length = 1 << (10 + _random.Next(12));
        Apply($"huge-value-{length}", () => SetValue(lines, ValueLine(lines), "\"" + new string('a', length) + "\""));
    }

    private void DeepNesting(List<string> lines)
    {
        var depth = 5 + _random.Next(200);
        var value = _random.Next(3) switch
        {
            0 => new string('[', depth) + "x" + new string(']', depth),
            1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "x" + new string('}', depth),
            _ => "\n" + string.Join('\n', Enumerable.Range(1, depth).Select(d => new string(' ', 2 * d) + "a:")) + " x",
        };
        Apply($"deep-nesting-{depth}", () => SetValue(lines, ValueLine(lines), value));
    }

    private void AliasBomb(List<string> lines) => Apply("alias-bomb", () =>
    {
        var bomb = new StringBuilder("bomb0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (var level = 1; level < 10; level++)
        {
            bomb.Append("bomb").Append(level).Append(": &a").Append(level).Append(" [")
                .Append(string.Join(", ", Enumerable.Repeat("*a" + (level - 1), 9))).Append("]\n");
        }

        if (_random.Next(2) == 0)
        {
            lines.Insert(0, bomb.ToString().TrimEnd('\n'));
        }
        else
        {
            SetValue(lines, ValueLine(lines), "*a9");
            lines.Insert(0, bomb.ToString().TrimEnd('\n'));
        }
    });

    private void AnchorAndAlias(List<string> lines) => Apply("anchor-alias", () =>
    {
        var anchored = ValueLine(lines);
        var value = ValueOf(lines[anchored]);
        SetValue(lines, anchored, "&base " + (value.Length == 0 ? "x" : value));
        SetValue(lines, ValueLine(lines), _random.Next(3) == 0 ? "*undefined" : "*base");
    });

    private void Tag(List<string> lines)
    {
        var tag = Pick(Tags);
        Apply("tag", () =>
        {
            var i = ValueLine(lines);
            var value = ValueOf(lines[i]);
            SetValue(lines, i, tag + " " + (value.Length == 0 ? "x" : value));
        });
    }

    private void MissingEnv(List<string> lines) => Apply("missing-env", () =>
    {
        var withEnv = lines.FindIndex(l => l.Contains("!env ", StringComparison.Ordinal));
        if (withEnv >= 0 && _random.Next(2) == 0)
        {
            var at = lines[withEnv].IndexOf("!env ", StringComparison.Ordinal) + 5;
            lines[withEnv] = lines[withEnv][..at] + Pick([MissingVariable, "\"\"", "''", "A B", "1", "[X]", string.Empty]);
        }
        else
        {
            SetValue(lines, ValueLine(lines), "!env " + MissingVariable);
        }
    });

    private void Documents(List<string> lines) => Apply("documents", () =>
    {
        switch (_random.Next(6))
        {
            case 0: lines.Insert(0, "---"); break;
            case 1: lines.Insert(Line(lines), "..."); break;
            case 2: lines.Insert(0, "%YAML 1.1\n---"); break;
            case 3: lines.Insert(0, "%TAG ! tag:evil.test,2024:\n---"); break;
            case 4: lines.Add("---\nenv: {}"); break;
            default: lines.Insert(Line(lines), "---"); break;
        }
    });

    private void Truncate(List<string> lines) => Apply("truncate", () =>
    {
        var text = string.Join('\n', lines);
        var cut = text[.._random.Next(text.Length + 1)];
        lines.Clear();
        lines.AddRange(cut.Split('\n'));
    });

    private void ReplaceDocument(List<string> lines) => Apply("replace-document", () =>
    {
        var replacement = Pick(["", "~", "---", "# only a comment", "[]", "- a", "\"text\"", "42", "{}", "? a", "&a x", "*a", "!env X", "...", "{", "key: [unclosed"]);
        lines.Clear();
        lines.Add(replacement);
    });

    private void LongKey(List<string> lines) => Apply("long-key", () => lines.Insert(Line(lines), new string('k', 1 << (8 + _random.Next(10))) + ": 1"));

    private void ManyItems(List<string> lines) => Apply("many-items", () =>
    {
        var i = lines.FindIndex(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal));
        if (i < 0)
        {
            return;
        }

        // Up to about twice the 1 MiB cap in total, however long the repeated line has become.
        var copies = Math.Min(1 << (4 + _random.Next(12)), (2 * 1024 * 1024 / (lines[i].Length + 1)) + 1);
        lines.InsertRange(i, Enumerable.Repeat(lines[i], copies));
    });

    private byte[] MutateBytes(string text)
    {
        var utf8 = new UTF8Encoding(false).GetBytes(text);
        switch (_random.Next(9))
        {
            case 0:
                _applied.Add("utf8-bom");
                return [0xEF, 0xBB, 0xBF, .. utf8];
            case 1:
                _applied.Add("utf8-bom-twice");
                return [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. utf8];
            case 2:
                _applied.Add("utf16le-bom");
                return [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];
            case 3:
                _applied.Add("utf16be-no-bom");
                return Encoding.BigEndianUnicode.GetBytes(text);
            case 4:
                _applied.Add("utf32le-bom");
                return [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(text)];
            case 5 or 6:
                {
                    _applied.Add("invalid-utf8");
                    var at = _random.Next(utf8.Length + 1);
                    return [.. utf8.AsSpan(0, at), .. Pick(InvalidUtf8), .. utf8.AsSpan(at)];
                }

            case 7:
                {
                    _applied.Add("byte-flip");
                    var copy = (byte[])utf8.Clone();
                    if (copy.Length > 0)
                    {
                        copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                    }

                    return copy;
                }

            default:
                _applied.Add("nul-byte");
                var nul = _random.Next(utf8.Length + 1);
                return [.. utf8.AsSpan(0, nul), 0, .. utf8.AsSpan(nul)];
        }
    }

    private void Apply(string name, Action mutation)
    {
        _applied.Add(name);
        mutation();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private int Line(List<string> lines) => _random.Next(lines.Count);

    private int KeyLine(List<string> lines) => PickWhere(lines, l => l.Contains(':', StringComparison.Ordinal));

    private int ValueLine(List<string> lines) =>
        PickWhere(lines, l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal) || l.Contains(": ", StringComparison.Ordinal));

    private int PickWhere(List<string> lines, Func<string, bool> predicate)
    {
        var candidates = Enumerable.Range(0, lines.Count).Where(i => predicate(lines[i])).ToList();
        return candidates.Count == 0 ? Line(lines) : Pick(candidates);
    }

    private static string Indent(string line) => line[..(line.Length - line.TrimStart(' ').Length)];

    /// <summary>The text after <c>key: </c> or <c>- </c>, or empty.</summary>
    private static string ValueOf(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon >= 0)
        {
            return line[(colon + 2)..];
        }

        var trimmed = line.TrimStart(' ');
        return trimmed.StartsWith("- ", StringComparison.Ordinal) ? trimmed[2..] : string.Empty;
    }

    private static void SetValue(List<string> lines, int i, string value)
    {
        var line = lines[i];
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon >= 0)
        {
            lines[i] = line[..(colon + 2)] + value;
            return;
        }

        var dash = line.IndexOf("- ", StringComparison.Ordinal);
        lines[i] = dash >= 0 && line[..dash].Trim().Length == 0
            ? line[..(dash + 2)] + value
            : line.TrimEnd(':') + ": " + value;
    }
}
