using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SandboxConfigurationLoaderTests
{
    private static readonly Dictionary<string, string> HostEnv = new()
    {
        ["GH_TOKEN_HOST"] = "host-value-1",
        ["EMPTY"] = string.Empty,
        ["MY_AKI"] = "AKIDEXAMPLE",
        ["MY_SAK"] = "wJalrXUtnFEMI",
        ["MY_TOK"] = "session-token",
    };

    // ---- 1.1 locating and loading ----

    [Fact]
    public void CFG_01_default_path_is_dot_airut_sandbox_yaml() =>
        Assert.Equal(".airut/sandbox.yaml", SandboxConfigurationLoader.DefaultRelativePath);

    [Fact]
    public async Task CFG_02_missing_default_file_gives_defaults_and_a_debug_line()
    {
        using var dir = new TemporaryDirectory();
        var logger = new RecordingLogger<SandboxConfigurationLoader>();
        var path = Path.Combine(dir.Path, ".airut", "sandbox.yaml");
        var loader = new SandboxConfigurationLoader(new FakeEnvironment(), logger);

        var config = await loader.LoadAsync(path, dir.Path, explicitlyNamed: false, CancellationToken.None);

        Assert.Same(SandboxConfiguration.Default, config);
        Assert.True(config.NetworkSandbox);
        Assert.Empty(config.Env);
        Assert.Empty(config.PassEnv);
        Assert.Empty(config.MaskedSecrets);
        Assert.Empty(config.SigningCredentials);
        Assert.Equal(ResourceLimits.None, config.ResourceLimits);
        Assert.Equal([(LogLevel.Debug, $"Config file not found: {path} (using defaults)")], logger.Lines);
    }

    [Fact]
    public async Task CFG_02_SEC_20_explicitly_named_config_that_does_not_exist_is_an_error()
    {
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "sandbx.yaml");
        var loader = new SandboxConfigurationLoader(new FakeEnvironment(), NullLogger<SandboxConfigurationLoader>.Instance);

        var error = await Assert.ThrowsAsync<Abstractions.Errors.SandboxConfigurationException>(
            () => loader.LoadAsync(path, dir.Path, explicitlyNamed: true, CancellationToken.None));

        Assert.Contains("config file not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Location!.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null\n")]
    [InlineData("~\n")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public async Task CFG_03_empty_or_null_document_gives_defaults(string yaml) =>
        Assert.Same(SandboxConfiguration.Default, await SandboxAsync(yaml));

    [Fact]
    public async Task CFG_04_yaml_syntax_error_is_invalid_yaml_with_location()
    {
        var error = await SandboxErrorAsync("env:\n  A: [1, 2\n");
        Assert.StartsWith("Invalid YAML in sandbox.yaml: ", error.Detail, StringComparison.Ordinal);
        Assert.NotNull(error.Location);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public async Task CFG_05_root_that_is_not_a_mapping_is_an_error()
    {
        var error = await SandboxErrorAsync("- env\n- pass_env\n");
        Assert.Equal("Config file must be a YAML mapping: sandbox.yaml", error.Detail);
        AssertAt(error, SandboxFile, 1, 1, null);
    }

    [Theory]
    [InlineData("env:\n  A: !!python/object:os.system ls\n", "!!python/object:os.system")]
    [InlineData("env:\n  A: !!binary aGVsbG8=\n", "!!binary")]
    [InlineData("env:\n  A: !!str x\n", "!!str")]
    [InlineData("env:\n  A: !secret x\n", "!secret")]
    public async Task CFG_06_only_env_tag_is_accepted(string yaml, string tag)
    {
        var error = await SandboxErrorAsync(yaml);
        Assert.Contains($"the YAML tag {tag} is not allowed; only !env NAME is supported", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 6, "env.A");
    }

    [Fact]
    public async Task CFG_07_H_unknown_top_level_key_is_rejected_with_a_suggestion()
    {
        var error = await SandboxErrorAsync("env: {}\nmasked_secret: {}\n");
        Assert.Contains("unknown key 'masked_secret'; did you mean 'masked_secrets'?", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 1, "masked_secret");
    }

    [Fact]
    public async Task CFG_07_H_unknown_key_inside_an_entry_is_rejected()
    {
        var error = await SandboxErrorAsync(
            "masked_secrets:\n  T:\n    value: x\n    scopes: [a.test]\n    headers: [Authorization]\n    allow_foreign: true\n");
        Assert.Contains("did you mean 'allow_foreign_credentials'?", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 6, 5, "masked_secrets.T.allow_foreign");
    }

    [Fact]
    public async Task CFG_08_sections_are_checked_in_order_and_the_first_error_wins()
    {
        // resource_limits is written first but env is checked first.
        var error = await SandboxErrorAsync("resource_limits: 5\nsigning_credentials: []\nenv: []\n");
        Assert.Equal("env", error.Key);

        error = await SandboxErrorAsync("resource_limits: 5\nsigning_credentials: []\nmasked_secrets: []\n");
        Assert.Equal("masked_secrets", error.Key);

        error = await SandboxErrorAsync("resource_limits: 5\nnetwork_sandbox: maybe\n");
        Assert.Equal("network_sandbox", error.Key);
    }

    [Fact]
    public async Task CFG_08_entries_keep_document_order()
    {
        var config = await SandboxAsync("env:\n  Z: '1'\n  A: '2'\n  M: '3'\n");
        Assert.Equal(["Z", "A", "M"], config.Env.Select(e => e.Key));
    }

    // ---- 1.3 !env ----

    [Fact]
    public async Task CFG_10_env_tag_reads_the_injected_host_environment()
    {
        var environment = new FakeEnvironment(HostEnv);
        var config = await new SandboxConfigurationLoader(environment, NullLogger<SandboxConfigurationLoader>.Instance)
            .ParseAsync(SandboxFile, "env:\n  TOKEN: !env GH_TOKEN_HOST\n", "/", CancellationToken.None);

        Assert.Equal("host-value-1", config.Env.Single().Value);
        Assert.Equal(["GH_TOKEN_HOST"], environment.Lookups);
    }

    [Fact]
    public async Task CFG_11_unset_variable_is_an_error_naming_it_even_with_the_sandbox_off()
    {
        var error = await SandboxErrorAsync("network_sandbox: false\nenv:\n  A: !env NOT_SET_ANYWHERE\n");
        Assert.Equal("environment variable 'NOT_SET_ANYWHERE' is not set", error.Detail);
        AssertAt(error, SandboxFile, 3, 6, "env.A");
    }

    [Fact]
    public async Task CFG_11_variable_set_to_empty_string_is_accepted()
    {
        var config = await SandboxAsync("env:\n  A: !env EMPTY\n", HostEnv);
        Assert.Equal(string.Empty, config.Env.Single().Value);
    }

    [Theory]
    [InlineData("env:\n  A: !env \"\"\n")]
    [InlineData("env:\n  A: !env\n")]
    public async Task CFG_11_env_tag_with_empty_name_is_never_set(string yaml)
    {
        var error = await SandboxErrorAsync(yaml, HostEnv);
        Assert.Equal("environment variable '' is not set", error.Detail);
        Assert.Equal("env.A", error.Key);
    }

    [Fact]
    public async Task CFG_11_key_path_of_an_unset_masked_secret_value_is_dotted()
    {
        var error = await SandboxErrorAsync(
            "masked_secrets:\n  GH_TOKEN:\n    value: !env NOPE\n    scopes: [api.github.com]\n    headers: [Authorization]\n");
        Assert.Equal("sandbox.yaml:3:12: masked_secrets.GH_TOKEN.value: environment variable 'NOPE' is not set", error.Message);
    }

    [Fact]
    public async Task CFG_12_DEV_var_tag_is_rejected()
    {
        var error = await SandboxErrorAsync("env:\n  A: !var NAME\n");
        Assert.Contains("!var has no meaning for airut-sandbox and is not supported", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 6, "env.A");
    }

    [Theory]
    [InlineData("pass_env:\n  - !env HOME\n", 2, 5, "pass_env[0]")]
    [InlineData("network_sandbox: !env FLAG\n", 1, 18, "network_sandbox")]
    [InlineData("resource_limits:\n  timeout: !env T\n", 2, 12, "resource_limits.timeout")]
    [InlineData("resource_limits: !env T\n", 1, 18, "resource_limits")]
    [InlineData("env: !env ALL\n", 1, 6, "env")]
    [InlineData("masked_secrets:\n  T:\n    value: x\n    scopes: [!env S]\n    headers: [Authorization]\n", 4, 14, "masked_secrets.T.scopes[0]")]
    [InlineData("masked_secrets:\n  T:\n    value: x\n    scopes: [a.test]\n    headers: !env H\n", 5, 14, "masked_secrets.T.headers")]
    [InlineData("masked_secrets:\n  T:\n    value: x\n    scopes: [a.test]\n    headers: [A]\n    allow_foreign_credentials: !env F\n", 6, 32, "masked_secrets.T.allow_foreign_credentials")]
    [InlineData("signing_credentials:\n  aws:\n    type: !env TYPE\n", 3, 11, "signing_credentials.aws.type")]
    [InlineData("egress_network: !env NET\n", 1, 17, "egress_network")]
    [InlineData("upstream_hosts:\n  a.test: !env IP\n", 2, 11, "upstream_hosts.a.test")]
    public async Task CFG_13_DEV_env_tag_outside_required_values_is_an_error(string yaml, int line, int column, string key)
    {
        var error = await SandboxErrorAsync(yaml, new Dictionary<string, string> { ["HOME"] = "/h", ["FLAG"] = "true", ["T"] = "60" });
        Assert.StartsWith("!env is only allowed for env values", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, line, column, key);
    }

    [Fact]
    public async Task CFG_13_DEV_env_tag_on_a_key_is_an_error()
    {
        var error = await SandboxErrorAsync("env:\n  !env NAME: x\n");
        Assert.Contains("a mapping key cannot carry a tag (!env)", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 3, "env");
    }

    [Theory]
    [InlineData("env:\n  A:\n", 2, 5)]
    [InlineData("env:\n  A: ~\n", 2, 6)]
    [InlineData("env:\n  A: null\n", 2, 6)]
    public async Task CFG_14_null_required_value_is_missing(string yaml, int line, int column)
    {
        var error = await SandboxErrorAsync(yaml);
        Assert.Equal("value is missing", error.Detail);
        AssertAt(error, SandboxFile, line, column, "env.A");
    }

    [Fact]
    public async Task CFG_14_absent_masked_secret_value_is_missing()
    {
        var error = await SandboxErrorAsync("masked_secrets:\n  T:\n    scopes: [a.test]\n    headers: [A]\n");
        Assert.Equal("value is missing", error.Detail);
        AssertAt(error, SandboxFile, 2, 3, "masked_secrets.T.value");
    }

    [Fact]
    public async Task CFG_14_quoted_empty_string_is_a_value_not_missing()
    {
        var config = await SandboxAsync("env:\n  A: ''\n");
        Assert.Equal(string.Empty, config.Env.Single().Value);
    }

    [Fact]
    public async Task CFG_15_DEV_scalars_pass_through_as_written()
    {
        var config = await SandboxAsync(
            "env:\n  BOOL: true\n  YES: yes\n  FLOAT: 1.0\n  HEX: 0x10\n  INT: 42\n  DATE: 2024-01-01\n  OCT: 010\n  QUOTED: \"true\"\n");
        Assert.Equal(
            [
                new("BOOL", "true"), new("YES", "yes"), new("FLOAT", "1.0"), new("HEX", "0x10"), new("INT", "42"),
                new("DATE", "2024-01-01"), new("OCT", "010"), new KeyValuePair<string, string>("QUOTED", "true"),
            ],
            config.Env);
    }

    // ---- 1.4 env and pass_env ----

    [Theory]
    [InlineData("env: [A, B]\n", "a list")]
    [InlineData("env: text\n", "a string")]
    [InlineData("env:\n", "null (an empty value)")]
    public async Task CFG_16_env_must_be_a_mapping(string yaml, string got)
    {
        var error = await SandboxErrorAsync(yaml);
        Assert.Equal($"'env' must be a mapping, got {got}", error.Detail);
        Assert.Equal("env", error.Key);
    }

    [Fact]
    public async Task CFG_16_env_value_that_is_a_list_is_an_error()
    {
        var error = await SandboxErrorAsync("env:\n  A: [x]\n");
        Assert.Equal("expected a value (a string or !env NAME), got a list", error.Detail);
        AssertAt(error, SandboxFile, 2, 6, "env.A");
    }

    [Fact]
    public async Task CFG_17_pass_env_must_be_a_list_never_split_into_characters()
    {
        var error = await SandboxErrorAsync("pass_env: HOME\n");
        Assert.Equal("expected a list of environment variable names, got a string", error.Detail);
        AssertAt(error, SandboxFile, 1, 11, "pass_env");
    }

    [Fact]
    public async Task CFG_17_pass_env_items_are_names_in_order()
    {
        var config = await SandboxAsync("pass_env:\n  - HOME\n  - 'CI'\n  - GITHUB_SHA\n");
        Assert.Equal(["HOME", "CI", "GITHUB_SHA"], config.PassEnv);
    }

    [Theory]
    [InlineData("pass_env: [on]\n", "the boolean on")]
    [InlineData("pass_env: [1]\n", "the number 1")]
    [InlineData("pass_env: [1.0]\n", "the number 1.0")]
    [InlineData("pass_env: [~]\n", "null (an empty value)")]
    public async Task CFG_17_plain_non_string_scalars_are_not_names(string yaml, string got)
    {
        var error = await SandboxErrorAsync(yaml);
        Assert.StartsWith($"expected environment variable name, got {got}", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 1, 12, "pass_env[0]");
    }

    [Fact]
    public async Task CFG_19_names_are_free_form_except_for_what_exec_cannot_hold()
    {
        var config = await SandboxAsync("env:\n  my-var.x: v\n  lower: v\npass_env: [npm_config_cache]\n");
        Assert.Equal(["my-var.x", "lower"], config.Env.Select(e => e.Key));

        var error = await SandboxErrorAsync("env:\n  \"A=B\": v\n");
        Assert.Contains("contains '='", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 3, "env.A=B");

        error = await SandboxErrorAsync("pass_env: [\"A\\nB\"]\n");
        Assert.Contains("control characters", error.Detail, StringComparison.Ordinal);
    }

    // ---- 1.5 masked_secrets ----

    private const string GoodSecret =
        "masked_secrets:\n  GH_TOKEN:\n    value: !env GH_TOKEN_HOST\n    scopes: [api.github.com, '*.githubusercontent.com']\n    headers: [Authorization, 'X-*']\n";

    [Fact]
    public async Task CFG_20_CFG_26_masked_secret_entry_loads_with_its_key_as_the_container_variable()
    {
        var secret = (await SandboxAsync(GoodSecret, HostEnv)).MaskedSecrets.Single();
        Assert.Equal("GH_TOKEN", secret.EnvName);
        Assert.Equal("host-value-1", secret.Value.Reveal);
        Assert.Equal(["api.github.com", "*.githubusercontent.com"], secret.Scopes);
        Assert.Equal(["Authorization", "X-*"], secret.Headers);
        Assert.False(secret.AllowForeignCredentials);
    }

    [Fact]
    public async Task CFG_20_masked_secrets_must_be_a_mapping()
    {
        var error = await SandboxErrorAsync("masked_secrets: [a]\n");
        Assert.Equal("'masked_secrets' must be a mapping, got a list", error.Detail);
        AssertAt(error, SandboxFile, 1, 17, "masked_secrets");
    }

    [Fact]
    public async Task CFG_20_masked_secret_entry_must_be_a_mapping()
    {
        var error = await SandboxErrorAsync("masked_secrets:\n  T: just-a-value\n");
        Assert.Equal("masked_secrets.T must be a mapping, got a string", error.Detail);
        AssertAt(error, SandboxFile, 2, 6, "masked_secrets.T");
    }

    [Fact]
    public async Task CFG_21_empty_value_is_allowed_and_unset_env_is_not()
    {
        var yaml = "masked_secrets:\n  T:\n    value: !env {0}\n    scopes: [a.test]\n    headers: [A]\n";
        var secret = (await SandboxAsync(string.Format(null, yaml, "EMPTY"), HostEnv)).MaskedSecrets.Single();
        Assert.Equal(string.Empty, secret.Value.Reveal);

        var error = await SandboxErrorAsync(string.Format(null, yaml, "UNSET"), HostEnv);
        Assert.Equal("environment variable 'UNSET' is not set", error.Detail);
    }

    [Theory]
    [InlineData("    headers: [A]\n", "must be a non-empty list of host patterns, but 'scopes' is missing", 2, 3)]
    [InlineData("    scopes: []\n    headers: [A]\n", "must be a non-empty list of host patterns, got an empty list", 4, 13)]
    [InlineData("    scopes: a.test\n    headers: [A]\n", "expected a list of host patterns, got a string", 4, 13)]
    [InlineData("    scopes:\n    headers: [A]\n", "expected a list of host patterns, got null (an empty value)", 4, 12)]
    public async Task CFG_22_scopes_must_be_a_non_empty_list(string rest, string message, int line, int column)
    {
        var error = await SandboxErrorAsync("masked_secrets:\n  T:\n    value: x\n" + rest);
        Assert.Equal(message, error.Detail);
        AssertAt(error, SandboxFile, line, column, "masked_secrets.T.scopes");
    }

    [Theory]
    [InlineData("", "must be a non-empty list of header name patterns, but 'headers' is missing", 2, 3)]
    [InlineData("    headers: []\n", "must be a non-empty list of header name patterns, got an empty list", 5, 14)]
    [InlineData("    headers: Authorization\n", "expected a list of header name patterns, got a string", 5, 14)]
    public async Task CFG_23_headers_must_be_a_non_empty_list(string rest, string message, int line, int column)
    {
        var error = await SandboxErrorAsync("masked_secrets:\n  T:\n    value: x\n    scopes: [a.test]\n" + rest);
        Assert.Equal(message, error.Detail);
        AssertAt(error, SandboxFile, line, column, "masked_secrets.T.headers");
    }

    [Fact]
    public async Task CFG_24_entry_checks_run_value_then_scopes_then_headers()
    {
        var error = await SandboxErrorAsync("masked_secrets:\n  T:\n    headers: []\n    scopes: []\n");
        Assert.Equal("masked_secrets.T.value", error.Key);
        error = await SandboxErrorAsync("masked_secrets:\n  T:\n    headers: []\n    scopes: []\n    value: x\n");
        Assert.Equal("masked_secrets.T.scopes", error.Key);
        error = await SandboxErrorAsync("masked_secrets:\n  T:\n    headers: []\n    scopes: [a.test]\n    value: x\n");
        Assert.Equal("masked_secrets.T.headers", error.Key);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("    allow_foreign_credentials:\n", false)]
    [InlineData("    allow_foreign_credentials: true\n", true)]
    [InlineData("    allow_foreign_credentials: false\n", false)]
    [InlineData("    allow_foreign_credentials: \"false\"\n", false)]
    [InlineData("    allow_foreign_credentials: 'no'\n", false)]
    [InlineData("    allow_foreign_credentials: \"yes\"\n", true)]
    [InlineData("    allow_foreign_credentials: 1\n", true)]
    [InlineData("    allow_foreign_credentials: 0\n", false)]
    public async Task CFG_25_DEV_allow_foreign_credentials_accepts_only_booleans(string line, bool expected)
    {
        var config = await SandboxAsync("masked_secrets:\n  T:\n    value: x\n    scopes: [a.test]\n    headers: [A]\n" + line);
        Assert.Equal(expected, config.MaskedSecrets.Single().AllowForeignCredentials);
    }

    [Theory]
    [InlineData("maybe", "got 'maybe'")]
    [InlineData("2", "got '2'")]
    [InlineData("[true]", "got a list")]
    public async Task CFG_25_DEV_allow_foreign_credentials_other_values_are_errors(string value, string got)
    {
        var error = await SandboxErrorAsync(
            $"masked_secrets:\n  T:\n    value: x\n    scopes: [a.test]\n    headers: [A]\n    allow_foreign_credentials: {value}\n");
        Assert.EndsWith(got, error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 6, 32, "masked_secrets.T.allow_foreign_credentials");
    }

    // ---- 1.6 signing_credentials ----

    private const string PlainSigning =
        "signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: AKIDPLAIN\n    secret_access_key: plain-secret\n    scopes: ['*.amazonaws.com']\n";

    [Fact]
    public async Task CFG_30_signing_credentials_must_be_a_mapping_of_mappings()
    {
        var error = await SandboxErrorAsync("signing_credentials: [aws]\n");
        Assert.Equal("'signing_credentials' must be a mapping, got a list", error.Detail);
        error = await SandboxErrorAsync("signing_credentials:\n  aws: text\n");
        Assert.Equal("signing_credentials.aws must be a mapping, got a string", error.Detail);
        AssertAt(error, SandboxFile, 2, 8, "signing_credentials.aws");
    }

    [Theory]
    [InlineData("    type: aws-sigv2\n", "must be 'aws-sigv4', got 'aws-sigv2'", 3, 11)]
    [InlineData("    type: AWS-SIGV4\n", "must be 'aws-sigv4', got 'AWS-SIGV4'", 3, 11)]
    [InlineData("    type: [aws-sigv4]\n", "must be 'aws-sigv4', got a list", 3, 11)]
    [InlineData("    access_key_id: A\n", "must be 'aws-sigv4', got nothing (the key is missing)", 2, 3)]
    public async Task CFG_31_type_must_be_exactly_aws_sigv4(string body, string message, int line, int column)
    {
        var error = await SandboxErrorAsync("signing_credentials:\n  aws:\n" + body);
        Assert.Equal(message, error.Detail);
        AssertAt(error, SandboxFile, line, column, "signing_credentials.aws.type");
    }

    [Fact]
    public async Task CFG_32_CFG_33_plain_keys_use_the_default_container_names()
    {
        var credential = (await SandboxAsync(PlainSigning)).SigningCredentials.Single();
        Assert.Equal("aws", credential.Label);
        Assert.Equal("AKIDPLAIN", credential.AccessKeyId.Reveal);
        Assert.Equal("plain-secret", credential.SecretAccessKey.Reveal);
        Assert.Null(credential.SessionToken);
        Assert.Equal(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"), (credential.AccessKeyIdEnvName, credential.SecretAccessKeyEnvName, credential.SessionTokenEnvName));
        Assert.Equal(["*.amazonaws.com"], credential.Scopes);
    }

    [Fact]
    public async Task CFG_33_env_tags_name_the_container_variables()
    {
        var credential = (await SandboxAsync(
            "signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: !env MY_AKI\n    secret_access_key: !env MY_SAK\n    session_token: !env MY_TOK\n    scopes: [s3.amazonaws.com]\n",
            HostEnv)).SigningCredentials.Single();
        Assert.Equal(("MY_AKI", "MY_SAK", "MY_TOK"), (credential.AccessKeyIdEnvName, credential.SecretAccessKeyEnvName, credential.SessionTokenEnvName));
        Assert.Equal(("AKIDEXAMPLE", "wJalrXUtnFEMI", "session-token"), (credential.AccessKeyId.Reveal, credential.SecretAccessKey.Reveal, credential.SessionToken!.Reveal));
    }

    [Theory]
    [InlineData("    access_key_id: A\n", "signing_credentials.aws.secret_access_key", "value is missing")]
    [InlineData("    secret_access_key: S\n", "signing_credentials.aws.access_key_id", "value is missing")]
    [InlineData("    access_key_id: !env NOPE\n    secret_access_key: S\n", "signing_credentials.aws.access_key_id", "environment variable 'NOPE' is not set")]
    public async Task CFG_32_access_key_id_and_secret_access_key_are_required(string keys, string key, string message)
    {
        var error = await SandboxErrorAsync("signing_credentials:\n  aws:\n    type: aws-sigv4\n" + keys + "    scopes: [a.test]\n");
        Assert.Equal(message, error.Detail);
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("    session_token:\n", null)]
    [InlineData("    session_token: ~\n", null)]
    [InlineData("    session_token: !env EMPTY\n", "")]
    [InlineData("    session_token: tok\n", "tok")]
    public async Task CFG_34_session_token_is_optional(string line, string? expected)
    {
        var config = await SandboxAsync(PlainSigning + line, HostEnv);
        Assert.Equal(expected, config.SigningCredentials.Single().SessionToken?.Reveal);
    }

    [Fact]
    public async Task CFG_34_session_token_with_unset_env_is_an_error()
    {
        var error = await SandboxErrorAsync(PlainSigning + "    session_token: !env NOT_SET\n", HostEnv);
        Assert.Equal("environment variable 'NOT_SET' is not set", error.Detail);
        AssertAt(error, SandboxFile, 7, 20, "signing_credentials.aws.session_token");
    }

    [Theory]
    [InlineData("", "must be a non-empty list of host patterns, but 'scopes' is missing")]
    [InlineData("    scopes: []\n", "must be a non-empty list of host patterns, got an empty list")]
    [InlineData("    scopes: s3.amazonaws.com\n", "expected a list of host patterns, got a string")]
    public async Task CFG_35_signing_scopes_must_be_a_non_empty_list(string scopes, string message)
    {
        var error = await SandboxErrorAsync(
            "signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: A\n    secret_access_key: S\n" + scopes);
        Assert.Equal(message, error.Detail);
        Assert.Equal("signing_credentials.aws.scopes", error.Key);
    }

    [Fact]
    public async Task CFG_36_signing_checks_run_in_order()
    {
        var error = await SandboxErrorAsync("signing_credentials:\n  aws:\n    scopes: []\n    session_token: !env NOPE\n    access_key_id: !env NOPE\n");
        Assert.Equal("signing_credentials.aws.type", error.Key);
        error = await SandboxErrorAsync("signing_credentials:\n  aws:\n    scopes: []\n    session_token: !env NOPE\n    type: aws-sigv4\n");
        Assert.Equal("signing_credentials.aws.access_key_id", error.Key);
        error = await SandboxErrorAsync("signing_credentials:\n  aws:\n    scopes: []\n    session_token: !env NOPE\n    type: aws-sigv4\n    access_key_id: A\n");
        Assert.Equal("signing_credentials.aws.secret_access_key", error.Key);
        error = await SandboxErrorAsync("signing_credentials:\n  aws:\n    scopes: []\n    session_token: !env NOPE\n    type: aws-sigv4\n    access_key_id: A\n    secret_access_key: S\n");
        Assert.Equal("signing_credentials.aws.session_token", error.Key);
        error = await SandboxErrorAsync("signing_credentials:\n  aws:\n    scopes: []\n    type: aws-sigv4\n    access_key_id: A\n    secret_access_key: S\n");
        Assert.Equal("signing_credentials.aws.scopes", error.Key);
    }

    // ---- 1.7 network_sandbox ----

    [Theory]
    [InlineData("", true)]
    [InlineData("network_sandbox:\n", true)]
    [InlineData("network_sandbox: ~\n", true)]
    [InlineData("network_sandbox: true\n", true)]
    [InlineData("network_sandbox: \"true\"\n", true)]
    [InlineData("network_sandbox: 1\n", true)]
    [InlineData("network_sandbox: yes\n", true)]
    [InlineData("network_sandbox: on\n", true)]
    [InlineData("network_sandbox: \"TRUE\"\n", true)]
    [InlineData("network_sandbox: \"Yes\"\n", true)]
    [InlineData("network_sandbox: \" on \"\n", true)]
    [InlineData("network_sandbox: false\n", false)]
    [InlineData("network_sandbox: \"false\"\n", false)]
    [InlineData("network_sandbox: 0\n", false)]
    [InlineData("network_sandbox: no\n", false)]
    [InlineData("network_sandbox: off\n", false)]
    [InlineData("network_sandbox: \"FALSE\"\n", false)]
    [InlineData("network_sandbox: \"No\"\n", false)]
    public async Task CFG_40_network_sandbox_tokens(string yaml, bool expected) =>
        Assert.Equal(expected, (await SandboxAsync(yaml)).NetworkSandbox);

    [Theory]
    [InlineData("maybe", "got 'maybe'")]
    [InlineData("2", "got '2'")]
    [InlineData("1.0", "got '1.0'")]
    [InlineData("{a: b}", "got a mapping")]
    public async Task CFG_40_other_network_sandbox_values_are_errors(string value, string got)
    {
        var error = await SandboxErrorAsync($"network_sandbox: {value}\n");
        Assert.Equal($"'network_sandbox' must be a boolean (true/false, yes/no, on/off, 1/0), {got}", error.Detail);
        AssertAt(error, SandboxFile, 1, 18, "network_sandbox");
    }

    [Fact]
    public async Task CFG_41_DEV_credentials_with_the_sandbox_off_log_a_warning()
    {
        using var dir = new TemporaryDirectory();
        var path = dir.Write("sandbox.yaml", "network_sandbox: false\n" + GoodSecret);
        var logger = new RecordingLogger<SandboxConfigurationLoader>();
        var config = await new SandboxConfigurationLoader(new FakeEnvironment(HostEnv), logger)
            .LoadAsync(path, dir.Path, explicitlyNamed: true, CancellationToken.None);

        Assert.False(config.NetworkSandbox);
        var warning = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("unrestricted egress", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("host-value-1", warning.Message, StringComparison.Ordinal);
    }

    // ---- 1.8 resource_limits ----

    [Theory]
    [InlineData("")]
    [InlineData("resource_limits: {}\n")]
    public async Task CFG_50_CFG_54_missing_or_empty_resource_limits_mean_no_limits(string yaml)
    {
        var limits = (await SandboxAsync(yaml)).ResourceLimits;
        Assert.Equal(ResourceLimits.None, limits);
        Assert.Null(limits.Timeout);
        Assert.Null(limits.MemoryBytes);
        Assert.Null(limits.Cpus);
        Assert.Null(limits.PidsLimit);
    }

    [Theory]
    [InlineData("resource_limits: [1]\n", "a list")]
    [InlineData("resource_limits: 5\n", "the number 5")]
    [InlineData("resource_limits:\n", "null (an empty value)")]
    public async Task CFG_50_resource_limits_must_be_a_mapping(string yaml, string got)
    {
        var error = await SandboxErrorAsync(yaml);
        Assert.Equal($"'resource_limits' must be a mapping, got {got}", error.Detail);
        Assert.Equal("resource_limits", error.Key);
    }

    [Fact]
    public async Task CFG_51_all_fields_parse()
    {
        var limits = (await SandboxAsync("resource_limits:\n  timeout: \"300\"\n  memory: 512m\n  cpus: 1.5\n  pids_limit: 256\n")).ResourceLimits;
        Assert.Equal(TimeSpan.FromSeconds(300), limits.Timeout);
        Assert.Equal(512L * 1024 * 1024, limits.MemoryBytes);
        Assert.Equal("512m", limits.MemoryText);
        Assert.Equal(1.5, limits.Cpus);
        Assert.Equal(256, limits.PidsLimit);
    }

    [Theory]
    [InlineData("1b", 1L)]
    [InlineData("1024k", 1024L * 1024)]
    [InlineData("1024K", 1024L * 1024)]
    [InlineData("2g", 2L * 1024 * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    [InlineData("512M", 512L * 1024 * 1024)]
    public async Task CFG_51_memory_is_kept_as_bytes_and_as_written(string memory, long bytes)
    {
        var limits = (await SandboxAsync($"resource_limits:\n  memory: {memory}\n")).ResourceLimits;
        Assert.Equal(bytes, limits.MemoryBytes);
        Assert.Equal(memory, limits.MemoryText);
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public async Task RES_03_disk_is_kept_as_bytes_as_written_and_where_it_is_written()
    {
        var limits = (await SandboxAsync("resource_limits:\n  memory: 1g\n  disk: 64M\n")).ResourceLimits;
        Assert.Equal(64L * 1024 * 1024, limits.DiskBytes);
        Assert.Equal("64M", limits.DiskText);
        Assert.Equal(3, limits.DiskLocation!.Line);
        Assert.Equal(9, limits.DiskLocation.Column);
        Assert.EndsWith("sandbox.yaml", limits.DiskLocation.File, StringComparison.Ordinal);
        Assert.Null((await SandboxAsync("resource_limits:\n  memory: 1g\n")).ResourceLimits.DiskBytes);
    }

    [Theory]
    [InlineData("timeout: 1.5", "Timeout must be a whole number of seconds: 1.5", "timeout")]
    [InlineData("timeout: fast", "Timeout must be a whole number of seconds: fast", "timeout")]
    [InlineData("timeout: 5", "Timeout must be >= 10s: 5", "timeout")]
    [InlineData("timeout: \"9\"", "Timeout must be >= 10s: 9", "timeout")]
    [InlineData("timeout: 99999999999", "Timeout is too large: 99999999999", "timeout")]
    [InlineData("memory: 512", "Invalid memory limit '512': expected format like '512m', '2g', '1024k'", "memory")]
    [InlineData("memory: 512mb", "Invalid memory limit '512mb': expected format like '512m', '2g', '1024k'", "memory")]
    [InlineData("memory: 1.5g", "Invalid memory limit '1.5g': expected format like '512m', '2g', '1024k'", "memory")]
    [InlineData("memory: 0m", "Invalid memory limit '0m': value must be greater than zero", "memory")]
    [InlineData("memory: 99999999999999999999g", "Invalid memory limit '99999999999999999999g': value is too large", "memory")]
    [InlineData("cpus: 0.001", "CPUs must be >= 0.01: 0.001", "cpus")]
    [InlineData("cpus: 0", "CPUs must be >= 0.01: 0", "cpus")]
    [InlineData("cpus: lots", "CPUs must be a number: lots", "cpus")]
    [InlineData("cpus: .inf", "CPUs must be a number: .inf", "cpus")]
    [InlineData("pids_limit: 0", "PIDs limit must be >= 1: 0", "pids_limit")]
    [InlineData("pids_limit: 1.5", "PIDs limit must be a whole number: 1.5", "pids_limit")]
    [InlineData("pids_limit:", "pids_limit must be a single value, got null (an empty value)", "pids_limit")]
    [InlineData("disk: 512", "Invalid disk limit '512': expected format like '512m', '2g', '1024k'", "disk")]
    [InlineData("disk: 10GB", "Invalid disk limit '10GB': expected format like '512m', '2g', '1024k'", "disk")]
    [InlineData("disk: 0g", "Invalid disk limit '0g': value must be greater than zero", "disk")]
    [InlineData("disk: 99999999999999999999g", "Invalid disk limit '99999999999999999999g': value is too large", "disk")]
    [InlineData("disk: [1g]", "disk must be a single value, got a list", "disk")]
    public async Task CFG_51_CFG_52_invalid_fields_are_wrapped_errors(string field, string reason, string key)
    {
        var error = await SandboxErrorAsync($"resource_limits:\n  {field}\n");
        Assert.Equal($"'resource_limits' has invalid value: {reason}", error.Detail);
        Assert.Equal($"resource_limits.{key}", error.Key);
        Assert.Equal(2, error.Location!.Line);
    }

    [Fact]
    public async Task CFG_52_unknown_resource_limit_field_is_rejected()
    {
        var error = await SandboxErrorAsync("resource_limits:\n  memory_limit: 1g\n");
        Assert.Contains("unknown key 'memory_limit'", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 3, "resource_limits.memory_limit");
    }

    [Fact]
    public async Task CFG_53_integer_cpus_is_a_double_and_unitless_memory_is_rejected()
    {
        var limits = (await SandboxAsync("resource_limits:\n  cpus: 2\n")).ResourceLimits;
        Assert.Equal(2.0, limits.Cpus);
        Assert.Equal("2.0", limits.Cpus!.Value.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture));

        var error = await SandboxErrorAsync("resource_limits:\n  memory: 512\n");
        Assert.Contains("expected format like '512m'", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 11, "resource_limits.memory");
    }

    [Fact]
    public async Task CFG_54_unset_fields_stay_unset()
    {
        var limits = (await SandboxAsync("resource_limits:\n  memory: 1g\n")).ResourceLimits;
        Assert.Null(limits.Timeout);
        Assert.Null(limits.Cpus);
        Assert.Null(limits.PidsLimit);
        Assert.Equal("1g", limits.MemoryText);
    }

    [Fact]
    public async Task CFG_55_timeout_override_replaces_only_the_timeout()
    {
        var limits = (await SandboxAsync("resource_limits:\n  timeout: 600\n  memory: 1g\n  cpus: 2\n  pids_limit: 64\n")).ResourceLimits;
        var overridden = ResourceLimitRules.WithTimeoutOverride(limits, 30);
        Assert.Equal(limits with { Timeout = TimeSpan.FromSeconds(30) }, overridden);
        Assert.Equal(TimeSpan.FromSeconds(10), ResourceLimitRules.WithTimeoutOverride(ResourceLimits.None, 10).Timeout);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(0)]
    [InlineData(-5)]
    public void CFG_55_DEV_timeout_override_below_ten_is_a_configuration_error(int seconds)
    {
        var error = Assert.Throws<Abstractions.Errors.SandboxConfigurationException>(
            () => ResourceLimitRules.WithTimeoutOverride(ResourceLimits.None, seconds));
        Assert.Equal($"Timeout must be >= 10s: {seconds}", error.Detail);
        Assert.Equal("--timeout", error.Key);
        Assert.Null(error.Location);
    }
}
