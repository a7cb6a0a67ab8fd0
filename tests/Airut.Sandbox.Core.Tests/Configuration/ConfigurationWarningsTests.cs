using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Configuration;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "CFG-04")]
public sealed class ConfigurationWarningsTests
{
    private const string Real = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

    [Fact]
    public void CFG_04_a_strict_configuration_gives_no_warning()
    {
        var definition = Definition(
            new Allowlist(["api.github.com"], [new UrlPrefixRule("*.s3.test", "/bucket/*", ["GET"], null)]),
            secrets: [Secret(["api.github.com"], ["Authorization"])],
            signing: [Signing(["*.s3.test"])]);

        Assert.Empty(ConfigurationWarnings.For(definition));
    }

    [Fact]
    public void CFG_04_a_url_prefix_for_every_host_path_and_method_is_named_with_its_location()
    {
        var rule = new UrlPrefixRule("*", "", [], null, new SourceLocation(".airut/network-allowlist.yaml", 3, 5));

        var warning = Assert.Single(ConfigurationWarnings.For(Definition(new Allowlist([], [rule]))));

        Assert.Equal(".airut/network-allowlist.yaml:3:5: url_prefixes[0] host '*' opens every host for every path and method", warning);
    }

    [Fact]
    public void CFG_04_a_star_domain_and_a_star_host_limited_by_path_are_both_named()
    {
        var allowlist = new Allowlist(["**"], [new UrlPrefixRule("*", "/pub/*", ["GET"], null)]);

        Assert.Equal(
            [
                "network-allowlist.yaml: domains entry '*' opens every host for every path and method",
                "network-allowlist.yaml: url_prefixes[0] host '*' opens every host",
            ],
            ConfigurationWarnings.For(Definition(allowlist)));
    }

    [Fact]
    public void CFG_04_masked_secret_warnings_name_the_variable_and_never_the_value()
    {
        var definition = Definition(
            new Allowlist(["*.github.com"], []),
            secrets: [Secret(["*"], ["*"], allowForeign: true)]);

        var warnings = ConfigurationWarnings.For(definition);

        Assert.Equal(
            [
                "masked_secrets.GH_TOKEN: scope '*' sends the real value to every allowed host",
                "masked_secrets.GH_TOKEN: headers '*' lets the real value be placed in any header the command chooses",
                "masked_secrets.GH_TOKEN: allow_foreign_credentials is true, so the command's own credentials reach the scoped hosts unchanged",
            ],
            warnings);
        Assert.DoesNotContain(warnings, w => w.Contains(Real, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("api.gitlab.com", true)]
    [InlineData("*.gitlab.com", true)]
    [InlineData("api.github.com", false)]
    [InlineData("API.GitHub.com", false)]
    [InlineData("*.github.com", false)]
    public void CFG_04_a_masked_secret_scope_the_allowlist_does_not_open_is_named(string scope, bool warned)
    {
        var warnings = ConfigurationWarnings.For(Definition(new Allowlist(["*.github.com"], []), secrets: [Secret([scope], ["Authorization"])]));

        Assert.Equal(warned, warnings.Contains($"masked_secrets.GH_TOKEN: scope '{scope}' is not opened by the allowlist, so the secret is never used there"));
    }

    [Fact]
    public void CFG_04_without_the_network_sandbox_the_allowlist_is_not_reviewed()
    {
        var definition = Definition(new Allowlist(["*"], []), secrets: [Secret(["api.gitlab.com"], ["Authorization"])], networkSandbox: false);

        Assert.Empty(ConfigurationWarnings.For(definition));
    }

    [Theory]
    [InlineData("sts.amazonaws.com", true)]
    [InlineData("sts.*", true)]
    [InlineData("IAM.amazonaws.com", true)]
    [InlineData("*.amazonaws.com", true)]
    [InlineData("*", true)]
    [InlineData("s3.us-east-1.amazonaws.com", false)]
    [InlineData("*.s3.amazonaws.com", false)]
    public void CFG_04_a_signing_scope_that_includes_sts_or_iam_is_named(string scope, bool warned)
    {
        var warnings = ConfigurationWarnings.For(Definition(new Allowlist(["*"], []), signing: [Signing([scope])]));

        Assert.Equal(warned, warnings.Any(w => w.StartsWith($"signing_credentials.aws: scope '{scope}' includes AWS STS/IAM", StringComparison.Ordinal)));
    }

    private static MaskedSecret Secret(IReadOnlyList<string> scopes, IReadOnlyList<string> headers, bool allowForeign = false) =>
        new("GH_TOKEN", new SecretValue(Real), scopes, headers, allowForeign);

    private static SigningCredential Signing(IReadOnlyList<string> scopes) =>
        new("aws", new SecretValue("AKIAIOSFODNN7EXAMPLE"), new SecretValue("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), null,
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", scopes);

    private static SandboxDefinition Definition(
        Allowlist allowlist, IReadOnlyList<MaskedSecret>? secrets = null, IReadOnlyList<SigningCredential>? signing = null, bool networkSandbox = true) =>
        new(
            "/repo",
            SandboxConfiguration.Default with { MaskedSecrets = secrets ?? [], SigningCredentials = signing ?? [], NetworkSandbox = networkSandbox },
            allowlist,
            "/repo/.airut/container/Dockerfile",
            "/repo/.airut/container");
}
