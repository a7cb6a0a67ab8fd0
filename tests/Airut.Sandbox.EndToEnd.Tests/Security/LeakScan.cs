using System.Text;

namespace Airut.Sandbox.EndToEnd.Tests.Security;

/// <summary>
/// G4: counts the real secret values in every byte the suite can see. Hits are counted, never printed: the summary
/// names only sources and numbers.
/// </summary>
internal sealed class LeakScan
{
    /// <summary>The environment variable naming the summary file that eng/test.sh reads.</summary>
    public const string SummaryVariable = "AIRUT_SECURITY_SUMMARY";

    private static readonly Lock SummaryFile = new();

    private readonly IReadOnlyList<string> _realValues;
    private readonly Dictionary<string, int> _hits = new(StringComparer.Ordinal);
    private long _bytes;

    public LeakScan(IReadOnlyList<string> realValues) => _realValues = realValues;

    public IReadOnlyDictionary<string, int> HitsBySource => _hits;

    public int TotalHits => _hits.Values.Sum();

    public void Add(string source, string text)
    {
        _bytes += text.Length;
        var hits = _realValues.Sum(real => Count(text, real));
        _hits[source] = _hits.GetValueOrDefault(source) + hits;
    }

    public void Add(string source, byte[] bytes) => Add(source, Encoding.Latin1.GetString(bytes));

    public void Add(string source, IEnumerable<string> lines) => Add(source, string.Join('\n', lines));

    /// <summary>Appends this scan's one summary line for <paramref name="engine"/> to the suite's summary file.</summary>
    public void WriteSummary(string engine, string scan, TimeSpan elapsed)
    {
        var path = Environment.GetEnvironmentVariable(SummaryVariable) is { Length: > 0 } given
            ? given
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "security-summary.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var line = System.FormattableString.Invariant($"security-scan engine={engine} scan={scan} sources={_hits.Count} bytes={_bytes} real_hits={TotalHits} seconds={elapsed.TotalSeconds:F0}");
        lock (SummaryFile)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
