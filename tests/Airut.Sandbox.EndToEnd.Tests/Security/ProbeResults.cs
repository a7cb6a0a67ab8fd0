using System.Text.RegularExpressions;

namespace Airut.Sandbox.EndToEnd.Tests.Security;

/// <summary>The <c>CASE-ID name: result</c> lines a probe script printed, by case.</summary>
internal sealed partial class ProbeResults
{
    private readonly List<(string Case, string Name, string Value)> _lines = [];

    public ProbeResults(IEnumerable<string> stdout)
    {
        foreach (var line in stdout)
        {
            var match = ProbeLine().Match(line);
            if (match.Success)
            {
                _lines.Add((match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value.Trim()));
            }
        }
    }

    /// <summary>Every probe of <paramref name="caseId"/>, name → result.</summary>
    public IReadOnlyDictionary<string, string> Of(string caseId) =>
        _lines.Where(l => l.Case == caseId).GroupBy(l => l.Name).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>The one result of a probe; fails the test when the script never printed it.</summary>
    public string Get(string caseId, string name)
    {
        Assert.True(Of(caseId).TryGetValue(name, out var value), $"probe '{caseId} {name}' printed nothing");
        return value!;
    }

    [GeneratedRegex(@"^([A-Z0-9]+(?:-\d+)?) (\S+): ?(.*)$")]
    private static partial Regex ProbeLine();
}
