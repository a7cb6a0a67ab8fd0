using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>
/// One table of malformed documents for both files: each must fail to load with the exact line, column and key
/// of the offending node and a message a user can act on (AL-13, CFG-03 of attacks.md, brief).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class MalformedDocumentTests
{
    private const string A = "allowlist";
    private const string S = "sandbox";

    public static TheoryData<string, string, int, int, string?, string> Documents => new()
    {
        // ---- network-allowlist.yaml ----
        { A, "domains: abc\n", 1, 10, "domains", "expected a list of host patterns, got a string" },
        { A, "domains:\n  - a.test\n  - b.test:80\n", 3, 5, "domains[1]", "contains a port" },
        { A, "domains: [a.test, 'http://b.test']\n", 1, 19, "domains[1]", "contains a scheme" },
        { A, "domains: [a.test/x]\n", 1, 11, "domains[0]", "contains '/'" },
        { A, "domains:\n  - \"a .test\"\n", 2, 5, "domains[0]", "contains whitespace or a control character" },
        { A, "domains: {a.test: 1}\n", 1, 10, "domains", "expected a list of host patterns, got a mapping" },
        { A, "domains:\n  - [a.test]\n", 2, 5, "domains[0]", "expected host pattern, got a list" },
        { A, "domains:\n  - *.x.com\n", 2, 5, "domains[0]", "'*.x.com' is read as a YAML alias" },
        { A, "domains: [yes]\n", 1, 11, "domains[0]", "expected host pattern, got the boolean yes; put it in quotes if you mean the text" },
        { A, "url_prefixes: a.test\n", 1, 15, "url_prefixes", "expected a list of entries (host, path, methods, graphql), got a string" },
        { A, "url_prefixes:\n  - a.test\n", 2, 5, "url_prefixes[0]", "expected an entry mapping with host, path, methods, graphql, got a string" },
        { A, "url_prefixes:\n  - host: a.test\n  - path: /x\n", 3, 5, "url_prefixes[1]", "the entry has no 'host'" },
        { A, "url_prefixes:\n  - host: 123\n", 2, 11, "url_prefixes[0].host", "expected a host pattern, got the number 123" },
        { A, "url_prefixes:\n  - host: a.test\n    methods: GET\n", 3, 14, "url_prefixes[0].methods", "expected a list of HTTP methods, got a string" },
        { A, "url_prefixes:\n  - host: a.test\n    method: [GET]\n", 3, 5, "url_prefixes[0].method", "unknown key 'method'; did you mean 'methods'?" },
        { A, "url_prefixes:\n  - host: a.test\n    methods: [GET, 1]\n", 3, 20, "url_prefixes[0].methods[1]", "expected HTTP method, got the number 1" },
        { A, "url_prefixes:\n  - host: a.test\n    path: ~\n    graphql: yes\n", 4, 14, "url_prefixes[0].graphql", "'graphql' must be a mapping, got the boolean yes" },
        { A, "url_prefixes:\n  - host: a.test\n    graphql:\n      mutations: [1]\n", 4, 19, "url_prefixes[0].graphql.mutations[0]", "got the number 1" },
        { A, "url_prefixes:\n  - host: a.test\n    graphql:\n      subscription: []\n", 4, 7, "url_prefixes[0].graphql.subscription", "did you mean 'subscriptions'?" },
        { A, "url_prefixes:\n  - host: a.test\n    host: b.test\n", 3, 5, "url_prefixes[0].host", "duplicate key 'host' (first written at line 2)" },
        { A, "domains: !!binary YQ==\n", 1, 10, "domains", "the YAML tag !!binary is not allowed" },
        { A, "domains: &d [a.test]\n", 1, 10, "domains", "YAML anchors ('&d') are not allowed" },
        { A, "domains: [a.test]\n---\n", 2, 1, null, "more than one YAML document" },
        { A, "- a.test\n", 1, 1, null, "the allowlist must be a YAML mapping" },
        { A, "domains: [a.test\n", 2, 1, null, "Invalid allowlist YAML: " },
        { A, "domains:\n  - a.test\n url_prefixes: []\n", 3, 2, null, "Invalid allowlist YAML: " },
        { A, "url_prefixes:\n  - host: \"\"\n", 2, 11, "url_prefixes[0].host", "a host pattern must not be empty" },
        { A, "url_prefixes:\n  - host: a.test\n    path: [x]\n", 3, 11, "url_prefixes[0].path", "expected a path pattern, got a list" },
        { A, "domain_list: []\n", 1, 1, "domain_list", "unknown key 'domain_list'" },
        { A, "url_prefixes:\n  - host: a.test\n    methods: ['G E T']\n", 3, 15, "url_prefixes[0].methods[0]", "is not an HTTP method" },
        { A, "domains:\n  - !env HOST\n", 2, 5, "domains[0]", "the YAML tag !env is not allowed; this file supports no tags" },

        // ---- sandbox.yaml ----
        { S, "env: [A]\n", 1, 6, "env", "'env' must be a mapping, got a list" },
        { S, "env:\n  A: {x: 1}\n", 2, 6, "env.A", "expected a value (a string or !env NAME), got a mapping" },
        { S, "env:\n  A: !env UNSET_VAR\n", 2, 6, "env.A", "environment variable 'UNSET_VAR' is not set" },
        { S, "env:\n  A: !var X\n", 2, 6, "env.A", "!var has no meaning" },
        { S, "env:\n  \"\": x\n", 2, 3, "env", "a mapping key is empty" },
        { S, "pass_env: HOME\n", 1, 11, "pass_env", "expected a list of environment variable names, got a string" },
        { S, "pass_env: [HOME, on]\n", 1, 18, "pass_env[1]", "got the boolean on" },
        { S, "pass_env:\n  - !env HOME\n", 2, 5, "pass_env[0]", "!env is only allowed for env values" },
        { S, "masked_secrets: x\n", 1, 17, "masked_secrets", "'masked_secrets' must be a mapping, got a string" },
        { S, "masked_secrets:\n  GH_TOKEN: [x]\n", 2, 13, "masked_secrets.GH_TOKEN", "masked_secrets.GH_TOKEN must be a mapping, got a list" },
        { S, "masked_secrets:\n  GH_TOKEN:\n    value: x\n    scopes: api.github.com\n    headers: [Authorization]\n", 4, 13, "masked_secrets.GH_TOKEN.scopes", "expected a list of host patterns, got a string" },
        { S, "masked_secrets:\n  GH_TOKEN:\n    value: x\n    scopes: [api.github.com]\n    headers: []\n", 5, 14, "masked_secrets.GH_TOKEN.headers", "must be a non-empty list of header name patterns" },
        { S, "masked_secrets:\n  GH_TOKEN:\n    value: x\n    scopes: [api.github.com]\n    headers: [Authorization]\n    allow_foreign_credentials: \"nope\"\n", 6, 32, "masked_secrets.GH_TOKEN.allow_foreign_credentials", "got 'nope'" },
        { S, "masked_secrets:\n  GH_TOKEN:\n    value: x\n    scope: [api.github.com]\n", 4, 5, "masked_secrets.GH_TOKEN.scope", "did you mean 'scopes'?" },
        { S, "masked_secrets:\n  GH_TOKEN:\n    value: x\n    scopes: ['api.github.com:443']\n    headers: [A]\n", 4, 14, "masked_secrets.GH_TOKEN.scopes[0]", "contains a port" },
        { S, "masked_secrets:\n  GH_TOKEN:\n    value: x\n    scopes: [a.test]\n    headers: ['Authorization:']\n", 5, 15, "masked_secrets.GH_TOKEN.headers[0]", "contains ':'" },
        { S, "masked_secrets:\n  GH_TOKEN:\n    value:\n    scopes: [a.test]\n    headers: [A]\n", 3, 11, "masked_secrets.GH_TOKEN.value", "value is missing" },
        { S, "signing_credentials:\n  aws:\n    type: aws-sigv2\n", 3, 11, "signing_credentials.aws.type", "must be 'aws-sigv4', got 'aws-sigv2'" },
        { S, "signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: A\n    secret_access_key: [S]\n", 5, 24, "signing_credentials.aws.secret_access_key", "got a list" },
        { S, "signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: A\n    secret_access_key: S\n    scopes: []\n", 6, 13, "signing_credentials.aws.scopes", "must be a non-empty list of host patterns" },
        { S, "signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key: A\n", 4, 5, "signing_credentials.aws.access_key", "did you mean 'access_key_id'?" },
        { S, "signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: !env NOPE\n", 4, 20, "signing_credentials.aws.access_key_id", "environment variable 'NOPE' is not set" },
        { S, "network_sandbox: maybe\n", 1, 18, "network_sandbox", "'network_sandbox' must be a boolean (true/false, yes/no, on/off, 1/0), got 'maybe'" },
        { S, "network_sandbox: [true]\n", 1, 18, "network_sandbox", "got a list" },
        { S, "resource_limits: []\n", 1, 18, "resource_limits", "'resource_limits' must be a mapping, got a list" },
        { S, "resource_limits:\n  timeout: 5\n", 2, 12, "resource_limits.timeout", "'resource_limits' has invalid value: Timeout must be >= 10s: 5" },
        { S, "resource_limits:\n  memory: 512\n", 2, 11, "resource_limits.memory", "Invalid memory limit '512': expected format like '512m', '2g', '1024k'" },
        { S, "resource_limits:\n  memory: 0g\n", 2, 11, "resource_limits.memory", "Invalid memory limit '0g': value must be greater than zero" },
        { S, "resource_limits:\n  cpus: 0.001\n", 2, 9, "resource_limits.cpus", "CPUs must be >= 0.01: 0.001" },
        { S, "resource_limits:\n  pids_limit: 0\n", 2, 15, "resource_limits.pids_limit", "PIDs limit must be >= 1: 0" },
        { S, "resource_limits:\n  timeout: [60]\n", 2, 12, "resource_limits.timeout", "timeout must be a single value, got a list" },
        { S, "egress_network: \"-x\"\n", 1, 17, "egress_network", "'-x' is not a network name" },
        { S, "upstream_hosts:\n  a.test: mirror.internal\n", 2, 11, "upstream_hosts.a.test", "'mirror.internal' is not an IP address literal" },
        { S, "upstream_hosts_only: 2\n", 1, 22, "upstream_hosts_only", "got '2'" },
        { S, "upstream_ca_bundle: 42\n", 1, 21, "upstream_ca_bundle", "expected a path to a PEM file, got the number 42" },
        { S, "Env: {}\n", 1, 1, "Env", "unknown key 'Env'; did you mean 'env'?" },
        { S, "networksandbox: false\n", 1, 1, "networksandbox", "did you mean 'network_sandbox'?" },
        { S, "env: {}\nenv: {}\n", 2, 1, "env", "duplicate key 'env'" },
        { S, "env:\n  A: &x y\n", 2, 6, "env.A", "YAML anchors ('&x') are not allowed" },
        { S, "[env]\n", 1, 1, null, "Config file must be a YAML mapping: sandbox.yaml" },
        { S, "env:\n  A: !!python/object:os.system x\n", 2, 6, "env.A", "the YAML tag !!python/object:os.system is not allowed" },
        { S, "env:\n  A: x\n  - b\n", 3, 3, null, "Invalid YAML in sandbox.yaml: " },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task AL_13_CFG_03_malformed_document_fails_with_exact_location_and_key(
        string file, string yaml, int line, int column, string? key, string message)
    {
        SandboxConfigurationException error = file == A ? AllowlistError(yaml) : await SandboxErrorAsync(yaml);

        AssertAt(error, file == A ? AllowlistFile : SandboxFile, line, column, key);
        Assert.Contains(message, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_has_at_least_forty_documents() => Assert.True(Documents.Count >= 40);
}
