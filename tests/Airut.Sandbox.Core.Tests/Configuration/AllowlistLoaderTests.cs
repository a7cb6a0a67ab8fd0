using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class AllowlistLoaderTests
{
    [Fact]
    public void AL_1_default_path_is_dot_airut_network_allowlist_yaml() =>
        Assert.Equal(".airut/network-allowlist.yaml", AllowlistLoader.DefaultRelativePath);

    [Fact]
    public async Task AL_3_missing_default_file_is_the_empty_allowlist_with_a_debug_line()
    {
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "network-allowlist.yaml");
        var logger = new RecordingLogger<AllowlistLoader>();

        var allowlist = await new AllowlistLoader(logger).LoadAsync(path, explicitlyNamed: false, CancellationToken.None);

        Assert.Same(Allowlist.Empty, allowlist);
        Assert.Equal([(LogLevel.Debug, $"Allowlist file not found: {path} (using empty allowlist)")], logger.Lines);
    }

    [Fact]
    public async Task AL_3_SEC_20_explicitly_named_allowlist_that_does_not_exist_is_an_error()
    {
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "typo.yaml");
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => new AllowlistLoader(new RecordingLogger<AllowlistLoader>()).LoadAsync(path, explicitlyNamed: true, CancellationToken.None));
        Assert.Contains("allowlist file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AL_3_syntax_error_names_the_file_and_position()
    {
        using var dir = new TemporaryDirectory();
        var path = dir.Write("network-allowlist.yaml", "domains:\n  - 'unterminated\n");
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => new AllowlistLoader(new RecordingLogger<AllowlistLoader>()).LoadAsync(path, explicitlyNamed: false, CancellationToken.None));
        Assert.StartsWith("Invalid allowlist YAML: ", error.Detail, StringComparison.Ordinal);
        Assert.Equal(path, error.Location!.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null\n")]
    [InlineData("~\n")]
    [InlineData("# nothing allowed yet\n")]
    public void AL_5_empty_or_null_document_is_the_empty_allowlist(string yaml)
    {
        var allowlist = ParseAllowlist(yaml);
        Assert.Empty(allowlist.Domains);
        Assert.Empty(allowlist.UrlPrefixes);
    }

    [Fact]
    public void AL_6_domains_and_url_prefixes_are_both_optional()
    {
        Assert.Equal(["a.test"], ParseAllowlist("domains: [a.test]\n").Domains);
        Assert.Empty(ParseAllowlist("domains: [a.test]\n").UrlPrefixes);
        Assert.Single(ParseAllowlist("url_prefixes:\n  - host: a.test\n").UrlPrefixes);
        Assert.Empty(ParseAllowlist("url_prefixes: []\n").Domains);
    }

    [Fact]
    public void AL_7_entry_defaults_are_every_path_and_every_method()
    {
        var rule = ParseAllowlist("url_prefixes:\n  - host: pkgs.example.test\n").UrlPrefixes.Single();
        Assert.Equal("pkgs.example.test", rule.Host);
        Assert.Equal(string.Empty, rule.Path);
        Assert.Empty(rule.Methods);
        Assert.Null(rule.GraphQl);
        Assert.Equal(new SourceLocation(AllowlistFile, 2, 5), rule.Location);
    }

    [Fact]
    public void AL_7_all_entry_keys_load()
    {
        var rule = ParseAllowlist("url_prefixes:\n  - host: api.github.com\n    path: /graphql\n    methods: [POST]\n").UrlPrefixes.Single();
        Assert.Equal(("api.github.com", "/graphql"), (rule.Host, rule.Path));
        Assert.Equal(["POST"], rule.Methods);
    }

    [Fact]
    public void AL_8_graphql_block_present_even_empty_turns_filtering_on()
    {
        var rule = ParseAllowlist("url_prefixes:\n  - host: api.github.com\n    graphql: {}\n").UrlPrefixes.Single();
        Assert.NotNull(rule.GraphQl);
        Assert.Empty(rule.GraphQl.Queries);
        Assert.Empty(rule.GraphQl.Mutations);
        Assert.Empty(rule.GraphQl.Subscriptions);
    }

    [Fact]
    public void AL_8_graphql_lists_load_and_null_block_is_absent()
    {
        var rule = ParseAllowlist(
            "url_prefixes:\n  - host: api.github.com\n    path: /graphql\n    methods: [POST]\n    graphql:\n      queries: ['*']\n      mutations: [createIssue, 'add*']\n").UrlPrefixes.Single();
        Assert.Equal(["*"], rule.GraphQl!.Queries);
        Assert.Equal(["createIssue", "add*"], rule.GraphQl.Mutations);
        Assert.Empty(rule.GraphQl.Subscriptions);

        Assert.Null(ParseAllowlist("url_prefixes:\n  - host: a.test\n    graphql:\n").UrlPrefixes.Single().GraphQl);
        Assert.Null(ParseAllowlist("url_prefixes:\n  - host: a.test\n    graphql: null\n").UrlPrefixes.Single().GraphQl);
    }

    [Fact]
    public void AL_8_graphql_must_be_a_mapping_of_string_lists()
    {
        var error = AllowlistError("url_prefixes:\n  - host: a.test\n    graphql: [q]\n");
        Assert.Equal("'graphql' must be a mapping, got a list", error.Detail);
        AssertAt(error, AllowlistFile, 3, 14, "url_prefixes[0].graphql");

        error = AllowlistError("url_prefixes:\n  - host: a.test\n    graphql:\n      queries: viewer\n");
        Assert.Equal("expected a list of GraphQL operation name patterns, got a string", error.Detail);
        AssertAt(error, AllowlistFile, 4, 16, "url_prefixes[0].graphql.queries");

        error = AllowlistError("url_prefixes:\n  - host: a.test\n    graphql:\n      query: ['*']\n");
        Assert.Contains("did you mean 'queries'?", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AL_9_order_is_kept_and_duplicates_are_allowed()
    {
        var allowlist = ParseAllowlist(
            "domains: [b.test, a.test, b.test]\nurl_prefixes:\n  - host: z.test\n  - host: a.test\n  - host: z.test\n    path: /x\n");
        Assert.Equal(["b.test", "a.test", "b.test"], allowlist.Domains);
        Assert.Equal(["z.test", "a.test", "z.test"], allowlist.UrlPrefixes.Select(r => r.Host));
        Assert.Equal("/x", allowlist.UrlPrefixes[2].Path);
    }

    [Theory]
    [InlineData("domain: [a.test]\n", 1, 1, "domain", "did you mean 'domains'?")]
    [InlineData("url_prefix: []\n", 1, 1, "url_prefix", "did you mean 'url_prefixes'?")]
    [InlineData("url_prefixes:\n  - host: a.test\n    method: [GET]\n", 3, 5, "url_prefixes[0].method", "did you mean 'methods'?")]
    [InlineData("url_prefixes:\n  - host: a.test\n    Path: /x\n", 3, 5, "url_prefixes[0].Path", "did you mean 'path'?")]
    [InlineData("url_prefixes:\n  - host: a.test\n    hosts: b.test\n", 3, 5, "url_prefixes[0].hosts", "did you mean 'host'?")]
    [InlineData("extra: 1\n", 1, 1, "extra", "(allowed here: domains, url_prefixes)")]
    public void AL_10_H_unknown_keys_are_rejected_with_a_suggestion(string yaml, int line, int column, string key, string hint)
    {
        var error = AllowlistError(yaml);
        Assert.Contains(hint, error.Detail, StringComparison.Ordinal);
        AssertAt(error, AllowlistFile, line, column, key);
    }

    [Fact]
    public void AL_11_unquoted_star_pattern_is_an_alias_error_with_location()
    {
        var error = AllowlistError("domains:\n  - api.test\n  - *.github.com\n");
        Assert.Equal(
            "'*.github.com' is read as a YAML alias; aliases are not allowed here, and a value that starts with '*' must be quoted: \"*.github.com\"",
            error.Detail);
        AssertAt(error, AllowlistFile, 3, 5, "domains[1]");
    }

    [Fact]
    public void AL_11_unquoted_bare_star_host_is_an_error()
    {
        var error = AllowlistError("url_prefixes:\n  - host: *\n");
        Assert.StartsWith("Invalid allowlist YAML: ", error.Detail, StringComparison.Ordinal);
        Assert.Contains("must be quoted", error.Detail, StringComparison.Ordinal);
        Assert.Equal((2, 11), (error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void AL_11_quoted_star_patterns_load_as_written()
    {
        var allowlist = ParseAllowlist("domains:\n  - \"*.github.com\"\n  - '*'\nurl_prefixes:\n  - host: \"*\"\n    methods: [GET, HEAD]\n");
        Assert.Equal(["*.github.com", "*"], allowlist.Domains);
        Assert.Equal("*", allowlist.UrlPrefixes.Single().Host);
    }

    [Theory]
    [InlineData("domains: [on]\n", "the boolean on")]
    [InlineData("domains: [yes]\n", "the boolean yes")]
    [InlineData("domains: [true]\n", "the boolean true")]
    [InlineData("domains: [1.0]\n", "the number 1.0")]
    [InlineData("domains: [123]\n", "the number 123")]
    [InlineData("domains: [0x10]\n", "the number 0x10")]
    [InlineData("domains: [~]\n", "null (an empty value)")]
    [InlineData("domains: [null]\n", "null (an empty value)")]
    [InlineData("domains: [2024-01-01]\n", "the date 2024-01-01")]
    public void AL_11_AL_13_only_string_scalars_count_as_patterns(string yaml, string got)
    {
        var error = AllowlistError(yaml);
        Assert.StartsWith($"expected host pattern, got {got}", error.Detail, StringComparison.Ordinal);
        AssertAt(error, AllowlistFile, 1, 11, "domains[0]");
    }

    [Theory]
    [InlineData("domains: ['on', \"yes\", '1.0', '123']\n")]
    public void AL_11_quoted_lookalikes_are_strings(string yaml) =>
        Assert.Equal(["on", "yes", "1.0", "123"], ParseAllowlist(yaml).Domains);

    [Theory]
    [InlineData("- a\n", 1, 1, null, "the allowlist must be a YAML mapping with the keys domains and url_prefixes, got a list")]
    [InlineData("domains:\n", 1, 9, "domains", "expected a list of host patterns, got null (an empty value)")]
    [InlineData("url_prefixes: [\"a.com\"]\n", 1, 16, "url_prefixes[0]", "expected an entry mapping with host, path, methods, graphql, got a string")]
    [InlineData("domains: abc\n", 1, 10, "domains", "expected a list of host patterns, got a string")]
    [InlineData("url_prefixes:\n  - host: a.com\n    methods: GET\n", 3, 14, "url_prefixes[0].methods", "expected a list of HTTP methods, got a string")]
    [InlineData("domains: [123, true]\n", 1, 11, "domains[0]", "expected host pattern, got the number 123; put it in quotes if you mean the text")]
    [InlineData("url_prefixes:\n  - host:\n", 2, 10, "url_prefixes[0].host", "expected a host pattern, got null (an empty value)")]
    public void AL_12_AL_13_every_probe_row_of_the_original_is_now_a_load_error(string yaml, int line, int column, string? key, string message)
    {
        var error = AllowlistError(yaml);
        Assert.Equal(message, error.Detail);
        AssertAt(error, AllowlistFile, line, column, key);
    }

    [Fact]
    public void AL_12_AL_13_null_path_is_every_path()
    {
        Assert.Equal(string.Empty, ParseAllowlist("url_prefixes:\n  - host: a.test\n    path: null\n").UrlPrefixes.Single().Path);
        Assert.Equal(string.Empty, ParseAllowlist("url_prefixes:\n  - host: a.test\n    path:\n").UrlPrefixes.Single().Path);
    }

    [Theory]
    [InlineData("url_prefixes:\n  - path: /x\n", 2, 5, "url_prefixes[0]", "the entry has no 'host'; every url_prefixes entry needs a host pattern")]
    [InlineData("url_prefixes:\n  - host: ''\n", 2, 11, "url_prefixes[0].host", "a host pattern must not be empty")]
    [InlineData("url_prefixes:\n  - host: [a.test]\n", 2, 11, "url_prefixes[0].host", "expected a host pattern, got a list")]
    [InlineData("url_prefixes:\n  - host: a.test\n    path: 5\n", 3, 11, "url_prefixes[0].path", "expected a path pattern, got the number 5; put it in quotes if you mean the text")]
    [InlineData("url_prefixes:\n  - host: a.test\n    path: [/x]\n", 3, 11, "url_prefixes[0].path", "expected a path pattern, got a list")]
    [InlineData("url_prefixes:\n  - host: a.test\n    methods: [GET, '']\n", 3, 20, "url_prefixes[0].methods[1]", "expected HTTP method, got an empty string")]
    [InlineData("url_prefixes:\n  - host: a.test\n    methods: ['GET ']\n", 3, 15, "url_prefixes[0].methods[0]", "'GET ' is not an HTTP method; methods are letters only, like GET or POST")]
    [InlineData("url_prefixes:\n  - host: a.test\n    methods: [M-SEARCH]\n", 3, 15, "url_prefixes[0].methods[0]", "'M-SEARCH' is not an HTTP method; methods are letters only, like GET or POST")]
    [InlineData("url_prefixes:\n  - host: a.test\n    methods:\n", 3, 13, "url_prefixes[0].methods", "expected a list of HTTP methods, got null (an empty value)")]
    [InlineData("url_prefixes: {}\n", 1, 15, "url_prefixes", "expected a list of entries (host, path, methods, graphql), got a mapping")]
    [InlineData("domains: ['']\n", 1, 11, "domains[0]", "expected host pattern, got an empty string")]
    public void AL_13_H_strict_validation(string yaml, int line, int column, string key, string message)
    {
        var error = AllowlistError(yaml);
        Assert.Equal(message, error.Detail);
        AssertAt(error, AllowlistFile, line, column, key);
    }

    [Theory]
    [InlineData("example.com:8080", "contains a port")]
    [InlineData("https://example.com", "contains a scheme")]
    [InlineData("example.com/api", "contains '/'")]
    [InlineData("exa mple.com", "contains whitespace")]
    [InlineData("example.com\\t", "contains whitespace or a control character")]
    [InlineData(" example.com", "contains whitespace")]
    [InlineData("[::1]:443", "contains a port")]
    public void AL_13_AL_19_AL_20_host_patterns_with_port_scheme_slash_or_whitespace_are_rejected(string pattern, string problem)
    {
        var error = AllowlistError($"domains:\n  - \"{pattern}\"\n");
        Assert.Contains(problem, error.Detail, StringComparison.Ordinal);
        AssertAt(error, AllowlistFile, 2, 5, "domains[0]");

        error = AllowlistError($"url_prefixes:\n  - host: \"{pattern}\"\n");
        Assert.Contains(problem, error.Detail, StringComparison.Ordinal);
        AssertAt(error, AllowlistFile, 2, 11, "url_prefixes[0].host");
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("fd00::5")]
    [InlineData("fd00::*")]
    [InlineData("10.0.0.1")]
    [InlineData("*.Example.TEST")]
    [InlineData("api?.example.test")]
    [InlineData("[ab].example.test")]
    public void AL_13_ipv6_literals_and_globs_are_valid_host_patterns(string pattern) =>
        Assert.Equal([pattern], ParseAllowlist($"domains: [\"{pattern}\"]\n").Domains);

    [Fact]
    public void AL_16_host_patterns_are_kept_as_written_for_case_insensitive_matching() =>
        Assert.Equal(["API.GitHub.com"], ParseAllowlist("domains: [API.GitHub.com]\n").Domains);

    [Theory]
    [InlineData("/API*")]
    [InlineData("/v[12]/*")]
    [InlineData("/repos/foo/")]
    [InlineData("/v?/api")]
    [InlineData("*")]
    public void AL_15_AL_17_path_patterns_are_kept_exactly_as_written(string path) =>
        Assert.Equal(path, ParseAllowlist($"url_prefixes:\n  - host: a.test\n    path: \"{path}\"\n").UrlPrefixes.Single().Path);

    [Fact]
    public void AL_18_methods_are_upper_cased()
    {
        var rule = ParseAllowlist("url_prefixes:\n  - host: api.example.com\n    path: /data\n    methods: [get, Post]\n").UrlPrefixes.Single();
        Assert.Equal(["GET", "POST"], rule.Methods);
    }

    [Fact]
    public void AL_13_env_tag_is_not_allowed_in_the_allowlist()
    {
        var error = AllowlistError("domains:\n  - !env HOST\n");
        Assert.Equal("the YAML tag !env is not allowed; this file supports no tags", error.Detail);
        AssertAt(error, AllowlistFile, 2, 5, "domains[0]");
    }
}
