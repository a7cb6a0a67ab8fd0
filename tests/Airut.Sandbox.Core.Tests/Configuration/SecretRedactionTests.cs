using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>A real secret value (inline or from !env) never appears in an error message or a printed record.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SecretRedactionTests
{
    private const string InlineSecret = "inline-Sup3rSecret-Value";
    private const string HostSecret = "host-Sup3rSecret-Value";
    private static readonly Dictionary<string, string> Env = new() { ["HOST_SECRET"] = HostSecret };

    public static TheoryData<string> BrokenDocumentsHoldingSecrets => new()
    {
        // a later error in the same entry
        $"masked_secrets:\n  T:\n    value: {InlineSecret}\n    scopes: {InlineSecret}\n",
        "masked_secrets:\n  T:\n    value: !env HOST_SECRET\n    scopes: []\n",
        $"masked_secrets:\n  T:\n    value: \"{InlineSecret}\"\n    scopes: [a.test]\n    headers: [A]\n    allow_foreign_credentials: [x]\n",
        // a type error on the secret itself
        $"masked_secrets:\n  T:\n    value: [{InlineSecret}]\n",
        $"masked_secrets:\n  T:\n    value: {{{InlineSecret}: 1}}\n",
        $"env:\n  TOKEN: [\"{InlineSecret}\"]\n",
        $"signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: {InlineSecret}\n    secret_access_key: [{InlineSecret}]\n",
        $"signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: !env HOST_SECRET\n    secret_access_key: {InlineSecret}\n    session_token: !env NOT_SET\n",
        // a NUL inside the secret
        $"env:\n  TOKEN: \"{InlineSecret}\\0\"\n",
        // syntax errors around the secret
        $"env:\n  TOKEN: \"{InlineSecret}\n",
        $"env:\n  TOKEN: '{InlineSecret}\n",
        $"env:\n  TOKEN: {InlineSecret}\n  - x\n",
        $"env:\n  TOKEN: \"{InlineSecret}\\q\"\n",
        $"env:\n  TOKEN: {InlineSecret}\n  TOKEN: {InlineSecret}\n",
        $"env:\n  TOKEN: &anchor {InlineSecret}\n",
        $"env:\n  TOKEN: !!binary {InlineSecret}\n",
        $"env:\n  TOKEN: {InlineSecret}\n---\nenv: {{}}\n",
    };

    [Theory]
    [MemberData(nameof(BrokenDocumentsHoldingSecrets))]
    public async Task Secret_values_never_appear_in_error_messages(string yaml)
    {
        var error = await SandboxErrorAsync(yaml, Env);
        Assert.DoesNotContain(InlineSecret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HostSecret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3rSecret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loaded_secrets_print_redacted()
    {
        var config = await SandboxAsync(
            $"masked_secrets:\n  T:\n    value: !env HOST_SECRET\n    scopes: [a.test]\n    headers: [A]\n" +
            $"signing_credentials:\n  aws:\n    type: aws-sigv4\n    access_key_id: {InlineSecret}\n    secret_access_key: !env HOST_SECRET\n    session_token: {InlineSecret}\n    scopes: [a.test]\n",
            Env);

        var printed = string.Join('\n', config.ToString(), config.MaskedSecrets[0].ToString(), config.SigningCredentials[0].ToString());
        Assert.DoesNotContain("Sup3rSecret", printed, StringComparison.Ordinal);
        Assert.Contains("***", printed, StringComparison.Ordinal);
        Assert.Equal(HostSecret, config.MaskedSecrets[0].Value.Reveal);
        Assert.Equal(InlineSecret, config.SigningCredentials[0].SessionToken!.Reveal);
    }

    [Fact]
    public async Task Unset_env_error_names_the_variable_not_any_value()
    {
        var error = await SandboxErrorAsync("env:\n  TOKEN: !env NOT_SET\n", Env);
        Assert.Equal("sandbox.yaml:2:10: env.TOKEN: environment variable 'NOT_SET' is not set", error.Message);
        Assert.IsType<SandboxConfigurationException>(error);
    }
}
