using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.Credentials;
using BenchmarkDotNet.Attributes;

namespace Airut.Sandbox.Benchmarks;

/// <summary>
/// The masker on a request with 15 headers and three masked secrets. Every run rebuilds the header list because the
/// masker rewrites it in place; the baseline is that rebuild alone.
/// </summary>
[MemoryDiagnoser]
public class CredentialMaskerBenchmarks
{
    private SurrogateCredentialMasker _masker = null!;
    private HeaderField[] _inScope = null!;
    private HeaderField[] _foreign = null!;

    [GlobalSetup]
    public void Setup()
    {
        var map = SurrogateReplacementMap.Create(
        [
            new MaskedSecret("GH_TOKEN", new SecretValue("ghp_benchmarkRealValue0123456789abcdefXYZ"), ["api.github.com", "github.com"], ["Authorization"], false),
            new MaskedSecret("ANTHROPIC_API_KEY", new SecretValue("sk-ant-benchmark-real-value-0123456789"), ["api.anthropic.com"], ["x-api-key"], false),
            new MaskedSecret("NPM_TOKEN", new SecretValue("npm_benchmarkRealValue0123456789"), ["*.npmjs.org"], ["Authorization"], false),
        ]);
        _masker = new SurrogateCredentialMasker(map);
        _inScope = Headers("Bearer " + map.Entries[0].Surrogate);
        _foreign = Headers("Bearer ghp_attackerOwnToken0123456789abcdef");
    }

    /// <summary>Rebuilding the 15-entry header list, which each masker run below also does.</summary>
    [Benchmark(Baseline = true)]
    public ProxiedRequest CopyHeadersOnly() => Request("api.github.com", _inScope);

    /// <summary>In scope: the surrogate in Authorization is replaced.</summary>
    [Benchmark]
    public MaskingResult MaskerReplaces() => _masker.Apply(Request("api.github.com", _inScope));

    /// <summary>In scope: a foreign Authorization is stripped.</summary>
    [Benchmark]
    public MaskingResult MaskerStripsForeign() => _masker.Apply(Request("api.github.com", _foreign));

    /// <summary>Out of scope: nothing to do.</summary>
    [Benchmark]
    public MaskingResult MaskerOutOfScope() => _masker.Apply(Request("pypi.org", _inScope));

    private static ProxiedRequest Request(string host, HeaderField[] headers) => new()
    {
        Method = "POST",
        Scheme = "https",
        Host = host,
        Port = 443,
        PathAndQuery = "/repos/myorg/myrepo/pulls",
        Headers = new List<HeaderField>(headers),
    };

    private static HeaderField[] Headers(string authorization) =>
    [
        new("Host", "api.github.com"),
        new("User-Agent", "git/2.45.0 (benchmark)"),
        new("Accept", "application/vnd.github+json"),
        new("Accept-Encoding", "gzip, deflate, br"),
        new("Accept-Language", "en-US,en;q=0.9"),
        new("Authorization", authorization),
        new("Content-Type", "application/json"),
        new("Content-Length", "512"),
        new("X-GitHub-Api-Version", "2022-11-28"),
        new("X-Request-Id", "0f8fad5b-d9cb-469f-a165-70867728950e"),
        new("Cache-Control", "no-cache"),
        new("Connection", "keep-alive"),
        new("Origin", "https://github.com"),
        new("Referer", "https://github.com/myorg/myrepo"),
        new("Cookie", "logged_in=no; _octo=GH1.1.123456789.1700000000"),
    ];
}
