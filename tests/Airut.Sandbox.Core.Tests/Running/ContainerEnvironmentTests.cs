using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "CFG-60")]
public sealed class ContainerEnvironmentTests
{
    private const string Ca = "/usr/local/share/ca-certificates/mitmproxy-ca.crt";

    private static KeyValuePair<string, string> Kv(string key, string value) => new(key, value);

    private static SandboxConfiguration Config(IReadOnlyList<KeyValuePair<string, string>> env, params string[] passEnv) =>
        SandboxConfiguration.Default with { Env = env, PassEnv = passEnv };

    private static readonly Dictionary<string, string> Host = new()
    {
        ["HOST_A"] = "from-host",
        ["SHARED"] = "host-wins-over-env",
        ["EMPTY"] = string.Empty,
        ["ACTIONS_RUNTIME_TOKEN"] = "never-copied",
    };

    private static string? HostVariable(string name) => Host.TryGetValue(name, out var value) ? value : null;

    [Fact]
    public void CFG_60_order_is_env_pass_env_surrogates_verbose_ca_then_is_sandbox_and_later_sources_win()
    {
        var env = ContainerEnvironment.Assemble(
            Config([Kv("STATIC", "1"), Kv("SHARED", "env"), Kv("TOKEN", "env-token")], "HOST_A", "SHARED", "MISSING", "EMPTY"),
            HostVariable,
            [Kv("TOKEN", "surrogate-1"), Kv("AWS_ACCESS_KEY_ID", "AKIA_SURROGATE")],
            verbose: true,
            proxyEnabled: true);

        Assert.Equal(
            [
                Kv("STATIC", "1"), Kv("SHARED", "host-wins-over-env"), Kv("TOKEN", "surrogate-1"), Kv("HOST_A", "from-host"), Kv("EMPTY", string.Empty),
                Kv("AWS_ACCESS_KEY_ID", "AKIA_SURROGATE"), Kv("AIRUT_VERBOSE", "1"),
                Kv("NODE_EXTRA_CA_CERTS", Ca), Kv("REQUESTS_CA_BUNDLE", Ca), Kv("SSL_CERT_FILE", Ca), Kv("CURL_CA_BUNDLE", Ca),
                Kv("IS_SANDBOX", "1"),
            ],
            env);
    }

    [Fact]
    [Trait("Spec", "CFG-61")]
    public void CFG_61_nothing_else_comes_from_the_host_and_no_proxy_variables_are_set()
    {
        var env = ContainerEnvironment.Assemble(Config([]), HostVariable, [], verbose: false, proxyEnabled: true);
        Assert.DoesNotContain(env, e => e.Key == "ACTIONS_RUNTIME_TOKEN" || e.Key.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "IS_SANDBOX"], env.Select(e => e.Key));
    }

    [Fact]
    [Trait("Spec", "CFG-62")]
    public void CFG_62_user_AIRUT_VERBOSE_is_left_alone_when_not_verbose_and_overwritten_when_verbose()
    {
        var config = Config([Kv("AIRUT_VERBOSE", "0")]);
        Assert.Contains(Kv("AIRUT_VERBOSE", "0"), ContainerEnvironment.Assemble(config, HostVariable, [], verbose: false, proxyEnabled: false));
        Assert.Contains(Kv("AIRUT_VERBOSE", "1"), ContainerEnvironment.Assemble(config, HostVariable, [], verbose: true, proxyEnabled: false));
    }

    [Fact]
    [Trait("Spec", "CFG-41")]
    public void CFG_41_without_the_proxy_there_are_no_CA_variables_but_surrogates_stay()
    {
        var env = ContainerEnvironment.Assemble(Config([]), HostVariable, [Kv("TOKEN", "surrogate")], verbose: false, proxyEnabled: false);
        Assert.Equal([Kv("TOKEN", "surrogate"), Kv("IS_SANDBOX", "1")], env);
    }

    [Fact]
    public void CA_variables_overwrite_user_set_ones_and_IS_SANDBOX_cannot_be_turned_off()
    {
        var env = ContainerEnvironment.Assemble(Config([Kv("SSL_CERT_FILE", "/mine"), Kv("IS_SANDBOX", "0")]), HostVariable, [], false, true);
        Assert.Contains(Kv("SSL_CERT_FILE", Ca), env);
        Assert.Contains(Kv("IS_SANDBOX", "1"), env);
    }

    [Theory]
    [Trait("Spec", "CFG-05")]
    [InlineData("A=B")]
    [InlineData("")]
    [InlineData("A\0B")]
    public void CFG_05_names_that_would_inject_are_refused(string name)
    {
        Assert.Throws<SandboxConfigurationException>(
            () => ContainerEnvironment.Assemble(Config([Kv(name, "v")]), HostVariable, [], false, false));
    }

    [Fact]
    public void A_NUL_in_a_value_is_refused_without_echoing_the_value()
    {
        var error = Assert.Throws<SandboxConfigurationException>(
            () => ContainerEnvironment.Assemble(Config([Kv("TOKEN", "s3cr3t\0x")]), HostVariable, [], false, false));
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        Assert.Contains("TOKEN", error.Message, StringComparison.Ordinal);
    }
}
