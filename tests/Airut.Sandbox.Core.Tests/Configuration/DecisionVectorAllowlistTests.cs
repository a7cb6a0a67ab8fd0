using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>
/// network.md §1.6, parsing side: the allowlist document behind every decision vector loads to exactly the
/// domains and (host, path, methods) entries the row names. The decisions themselves belong to the policy's tests.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DecisionVectorAllowlistTests
{
    public static TheoryData<int, string, string> Vectors => new()
    {
        { 1, "domains:\n  - api.anthropic.com\n", "domains=[api.anthropic.com] prefixes=[]" },
        { 2, "domains:\n  - api.anthropic.com\n", "domains=[api.anthropic.com] prefixes=[]" },
        { 3, "domains:\n  - \"*.github.com\"\n", "domains=[*.github.com] prefixes=[]" },
        { 4, "domains:\n  - \"*.github.com\"\n", "domains=[*.github.com] prefixes=[]" },
        { 5, "url_prefixes:\n  - host: api.github.com\n    path: /graphql\n", "domains=[] prefixes=[(api.github.com,/graphql,*)]" },
        { 6, "url_prefixes:\n  - host: api.github.com\n    path: /repos/foo*\n", "domains=[] prefixes=[(api.github.com,/repos/foo*,*)]" },
        { 7, "url_prefixes:\n  - host: example.com\n    path: /a/b\n", "domains=[] prefixes=[(example.com,/a/b,*)]" },
        { 8, "url_prefixes:\n  - host: example.com\n    path: /graphql\n", "domains=[] prefixes=[(example.com,/graphql,*)]" },
        { 9, "url_prefixes:\n  - host: example.com\n    path: /api/*\n", "domains=[] prefixes=[(example.com,/api/*,*)]" },
        { 10, "url_prefixes:\n  - host: example.com\n    path: /allowed*\n", "domains=[] prefixes=[(example.com,/allowed*,*)]" },
        { 11, "url_prefixes:\n  - host: example.com\n    path: \"/allowed*\"\n", "domains=[] prefixes=[(example.com,/allowed*,*)]" },
        { 12, "url_prefixes:\n  - host: api.github.com\n    path: /repos/myorg/myrepo*\n", "domains=[] prefixes=[(api.github.com,/repos/myorg/myrepo*,*)]" },
        { 17, "url_prefixes:\n  - host: api.github.com\n    path: '/repos/myorg/myrepo*'\n", "domains=[] prefixes=[(api.github.com,/repos/myorg/myrepo*,*)]" },
        { 18, "url_prefixes:\n  - host: api.github.com\n    path: /graphql\n    methods: [POST]\n", "domains=[] prefixes=[(api.github.com,/graphql,POST)]" },
        { 19, "url_prefixes:\n  - host: api.example.com\n    path: /data\n    methods: [get, post]\n", "domains=[] prefixes=[(api.example.com,/data,GET|POST)]" },
        { 20, "domains: [trusted.internal.com]\nurl_prefixes:\n  - host: \"*\"\n    path: \"\"\n    methods: [GET, HEAD]\n", "domains=[trusted.internal.com] prefixes=[(*,,GET|HEAD)]" },
        { 21, "url_prefixes:\n  - host: \"*\"\n    path: \"\"\n    methods: [GET, HEAD]\n", "domains=[] prefixes=[(*,,GET|HEAD)]" },
        { 22, "url_prefixes:\n  - host: \"*\"\n    path: \"\"\n    methods: [GET, HEAD]\n  - host: api.anthropic.com\n    path: /v1/messages*\n    methods: [POST]\n", "domains=[] prefixes=[(*,,GET|HEAD) (api.anthropic.com,/v1/messages*,POST)]" },
        { 23, "url_prefixes:\n  - host: storage.example.com\n    path: \"\"\n", "domains=[] prefixes=[(storage.example.com,,*)]" },
        { 24, "url_prefixes:\n  - host: a.com\n    path: /v[12]/*\n", "domains=[] prefixes=[(a.com,/v[12]/*,*)]" },
        { 25, "", "domains=[] prefixes=[]" },
        { 25, "domains: []\nurl_prefixes: []\n", "domains=[] prefixes=[]" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void AL_decision_vector_allowlist_loads_to_the_expected_records(int row, string yaml, string expected)
    {
        Assert.InRange(row, 1, 25);
        Assert.Equal(expected, Canonical(ParseAllowlist(yaml)));
    }

    private static string Canonical(Allowlist allowlist)
    {
        var prefixes = allowlist.UrlPrefixes.Select(r =>
        {
            Assert.Null(r.GraphQl);
            return $"({r.Host},{r.Path},{(r.Methods.Count == 0 ? "*" : string.Join('|', r.Methods))})";
        });
        return $"domains=[{string.Join(' ', allowlist.Domains)}] prefixes=[{string.Join(' ', prefixes)}]";
    }
}
