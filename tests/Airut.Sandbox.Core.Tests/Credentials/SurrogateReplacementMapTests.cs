using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Credentials;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Credentials;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SurrogateReplacementMapTests
{
    private const string Real = "ghp_realvalue0123456789ABCDEF";

    private static MaskedSecret Secret(string name, string value) =>
        new(name, new SecretValue(value), ["api.test"], ["Authorization"], false);

    [Fact]
    public void MS_07_each_non_empty_secret_gets_a_surrogate_in_its_variable()
    {
        var map = SurrogateReplacementMap.Create([Secret("GH_TOKEN", Real)]);
        var entry = Assert.Single(map.Entries);
        Assert.Equal("GH_TOKEN", entry.EnvName);
        var env = Assert.Single(map.ContainerEnvironment);
        Assert.Equal("GH_TOKEN", env.Key);
        Assert.Equal(entry.Surrogate, env.Value);
        Assert.False(string.Equals(env.Value, Real, StringComparison.Ordinal));
    }

    [Fact]
    public void MS_08_empty_secret_sets_an_empty_variable_and_no_map_entry()
    {
        var map = SurrogateReplacementMap.Create([Secret("EMPTY", string.Empty), Secret("TOK", Real)]);
        Assert.Single(map.Entries);
        Assert.Equal([new("EMPTY", string.Empty), new("TOK", map.Entries[0].Surrogate)], map.ContainerEnvironment);
    }

    [Fact]
    public void SEC_10_too_short_secret_fails_the_map_with_its_key()
    {
        var error = Assert.Throws<SandboxConfigurationException>(() => SurrogateReplacementMap.Create([Secret("PIN", "1234")]));
        Assert.Equal("masked_secrets.PIN.value", error.Key);
        Assert.DoesNotContain("1234", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CFG_22_CFG_23_empty_scopes_or_headers_are_refused()
    {
        Assert.Throws<SandboxConfigurationException>(() =>
            SurrogateReplacementMap.Create([new MaskedSecret("A", new SecretValue(Real), [], ["Authorization"], false)]));
        Assert.Throws<SandboxConfigurationException>(() =>
            SurrogateReplacementMap.Create([new MaskedSecret("A", new SecretValue(Real), ["a.test"], [], false)]));
    }

    [Fact]
    public void Surrogates_are_distinct_for_equal_values()
    {
        var map = SurrogateReplacementMap.Create([Secret("A", Real), Secret("B", Real)]);
        Assert.NotEqual(map.Entries[0].Surrogate, map.Entries[1].Surrogate);
    }

    [Fact]
    public void Rebuilding_from_entries_refuses_shared_surrogates()
    {
        var entry = new SurrogateCredential("ghp_surrogate0123456789abcdef", Secret("A", Real));
        Assert.Throws<SandboxConfigurationException>(() => new SurrogateReplacementMap([entry, entry]));
    }

    [Fact]
    public void Map_entries_and_secrets_never_print_the_real_value()
    {
        var map = SurrogateReplacementMap.Create([Secret("TOK", Real)]);
        var printed = string.Join("|", map.ToString(), map.Entries[0].ToString(), map.Entries[0].Secret.ToString(),
            string.Join(",", map.ContainerEnvironment));
        Assert.DoesNotContain(Real, printed, StringComparison.Ordinal);
        Assert.Contains(SecretValue.Redacted, map.Entries[0].Secret.ToString(), StringComparison.Ordinal);
    }
}
