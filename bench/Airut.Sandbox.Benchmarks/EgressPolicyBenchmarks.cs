using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Core.Egress;
using BenchmarkDotNet.Attributes;

namespace Airut.Sandbox.Benchmarks;

/// <summary>
/// The allowlist decision on a realistic allowlist (30 domains with wildcards, 20 url_prefixes). Baseline: parsing
/// the same target with <see cref="Uri"/>, which any proxy does anyway; the dictionary lookup is the floor.
/// </summary>
[MemoryDiagnoser]
public class EgressPolicyBenchmarks
{
    private static readonly string[] Domains =
    [
        "api.anthropic.com", "statsig.anthropic.com", "sentry.io", "*.sentry.io", "registry.npmjs.org",
        "*.npmjs.org", "pypi.org", "files.pythonhosted.org", "*.pythonhosted.org", "crates.io",
        "static.crates.io", "index.crates.io", "proxy.golang.org", "sum.golang.org", "*.golang.org",
        "repo.maven.apache.org", "*.maven.org", "api.nuget.org", "*.nuget.org", "deb.debian.org",
        "security.debian.org", "*.ubuntu.com", "dl-cdn.alpinelinux.org", "*.docker.io", "ghcr.io",
        "*.ghcr.io", "objects.githubusercontent.com", "*.githubusercontent.com", "codeload.github.com", "*.blob.core.windows.test",
    ];

    private static readonly UrlPrefixRule[] Rules =
    [
        new("api.github.com", "/repos/myorg/other*", ["GET"], null),
        new("api.github.com", "/graphql", ["POST"], null),
        new("api.github.com", "/user", ["GET"], null),
        new("api.github.com", "/orgs/myorg/*", ["GET"], null),
        new("api.github.com", "/search/*", ["GET"], null),
        new("github.com", "/myorg/myrepo.git/*", ["GET", "POST"], null),
        new("github.com", "/myorg/other.git/*", ["GET"], null),
        new("uploads.github.com", "/repos/myorg/myrepo/releases/*", ["POST"], null),
        new("*.s3.amazonaws.com", "/myorg-artifacts/*", ["GET", "PUT"], null),
        new("s3.eu-west-1.amazonaws.com", "/myorg-cache/*", ["GET", "PUT", "HEAD"], null),
        new("bedrock-runtime.*.amazonaws.com", "/model/*", ["POST"], null),
        new("sts.amazonaws.com", "", ["POST"], null),
        new("hooks.slack.com", "/services/T000/B000/*", ["POST"], null),
        new("slack.com", "/api/chat.postMessage", ["POST"], null),
        new("api.openai.com", "/v1/*", [], null),
        new("*.example.test", "/api/v[12]/*", ["GET"], null),
        new("storage.googleapis.com", "/myorg-bucket/*", ["GET"], null),
        new("api.linear.app", "/graphql", ["POST"], null),
        new("*", "", ["GET", "HEAD"], null),
        new("api.github.com", "/repos/myorg/myrepo*", [], null),
    ];

    private readonly EgressRequest _allowedRequest = new("api.github.com", "/repos/myorg/myrepo/pulls?state=open&per_page=100", "POST");
    private readonly EgressRequest _blockedRequest = new("evil.test", "/exfil/upload%2Fdata?x=1", "POST");
    private readonly EgressRequest _domainRequest = new("registry.npmjs.org", "/@types%2fnode/-/node-22.0.0.tgz", "GET");

    private readonly AllowlistEgressPolicy _policy = new(new Allowlist(Domains, Rules));
    private readonly Dictionary<string, bool> _hosts = Domains.ToDictionary(d => d, _ => true, StringComparer.OrdinalIgnoreCase);

    /// <summary>Parsing the allowed target as a URI: work every proxy does per request.</summary>
    [Benchmark(Baseline = true)]
    public Uri UriParseOfTarget() => new("https://" + _allowedRequest.Host + _allowedRequest.RawPathAndQuery);

    /// <summary>The floor: one case-insensitive dictionary lookup of the host.</summary>
    [Benchmark]
    public bool DictionaryLookupOfHost() => _hosts.ContainsKey(_allowedRequest.Host);

    /// <summary>Allowed by the last url_prefixes entry, after scanning 30 domains and 19 entries.</summary>
    [Benchmark]
    public EgressDecision PolicyAllowedUrlPrefix() => _policy.Evaluate(_allowedRequest);

    /// <summary>Allowed by a domains entry with an encoded path.</summary>
    [Benchmark]
    public EgressDecision PolicyAllowedDomain() => _policy.Evaluate(_domainRequest);

    /// <summary>Blocked after scanning everything (the "*" GET/HEAD entry rejects the method).</summary>
    [Benchmark]
    public EgressDecision PolicyBlocked() => _policy.Evaluate(_blockedRequest);
}
