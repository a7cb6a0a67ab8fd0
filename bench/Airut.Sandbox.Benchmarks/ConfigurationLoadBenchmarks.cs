using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Configuration;
using BenchmarkDotNet.Attributes;

namespace Airut.Sandbox.Benchmarks;

/// <summary>
/// Allowlist parsing cost, as ratios against a typical allowlist parsed in the same run. It shows that hostile
/// documents (an alias bomb, nesting far past the limit) are refused for about the cost of a small file, and what
/// a large real allowlist costs.
/// Run: <c>dotnet run -c Release --project bench/Airut.Sandbox.Benchmarks -- --filter '*ConfigurationLoad*' --inProcess --warmupCount 5 --iterationCount 15</c>
/// (<c>--inProcess</c> because generating the out-of-process boilerplate exceeds BenchmarkDotNet's 2-minute build timeout on a loaded 2-core machine).
/// </summary>
/// <remarks>
/// Printed on 2026-11-22 (2 shared cores, 8 concurrent builds, so absolute times are noisy; the ratios are the point):
/// <code>
/// | Method                 | Mean         | Ratio  | Allocated  | Alloc Ratio |
/// | TypicalAllowlist       |    277.94 us |   1.15 |    26.3 KB |        1.00 |
/// | AliasBombRefused       |     36.72 us |   0.15 |    9.51 KB |        0.36 |
/// | DeepNestingRefused     |  8,391.12 us |  34.68 |  303.92 KB |       11.55 |
/// | ThousandEntryAllowlist | 31,735.07 us | 131.16 | 5358.12 KB |      203.70 |
/// </code>
/// The alias bomb is refused at its first anchor, before any expansion, for less than a typical file costs. 200 KB
/// of '[' is refused at depth 32; the time goes into YamlDotNet's scanner, and the 1 MiB file cap bounds it.
/// </remarks>
[MemoryDiagnoser]
public class ConfigurationLoadBenchmarks
{
    private readonly string _typical =
        "domains:\n  - api.anthropic.com\n  - \"*.githubusercontent.com\"\nurl_prefixes:\n  - host: pypi.org\n    path: /simple/*\n" +
        "    methods: [GET, HEAD]\n  - host: api.github.com\n    path: /graphql\n    methods: [POST]\n    graphql:\n" +
        "      queries: [\"*\"]\n      mutations: [createIssue]\n";

    private readonly string _aliasBomb = AliasBomb();
    private readonly string _deepNesting = "domains: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
    private readonly string _thousandEntries = ThousandEntries();

    [Benchmark(Baseline = true)]
    public int TypicalAllowlist() => AllowlistLoader.Parse("a.yaml", _typical).UrlPrefixes.Count;

    [Benchmark]
    public int AliasBombRefused() => Refused(_aliasBomb);

    [Benchmark]
    public int DeepNestingRefused() => Refused(_deepNesting);

    [Benchmark]
    public int ThousandEntryAllowlist() => AllowlistLoader.Parse("a.yaml", _thousandEntries).UrlPrefixes.Count;

    private static int Refused(string yaml)
    {
        try
        {
            AllowlistLoader.Parse("a.yaml", yaml);
            throw new InvalidOperationException("the document was accepted");
        }
        catch (SandboxConfigurationException ex)
        {
            return ex.Detail.Length;
        }
    }

    private static string AliasBomb()
    {
        var bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 10; i++)
        {
            var previous = (char)('a' + i - 1);
            bomb.Append((char)('a' + i)).Append(": &").Append((char)('a' + i)).Append(" [");
            bomb.AppendJoin(',', Enumerable.Repeat("*" + previous, 9)).Append("]\n");
        }

        return bomb.ToString();
    }

    private static string ThousandEntries()
    {
        var text = new StringBuilder("url_prefixes:\n");
        for (var i = 0; i < 1000; i++)
        {
            text.Append("  - host: host").Append(i).Append(".example.test\n    path: /api/v1/*\n    methods: [GET, POST]\n");
        }

        return text.ToString();
    }
}
