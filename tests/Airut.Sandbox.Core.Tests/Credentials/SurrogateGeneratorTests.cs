using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Credentials;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Credentials;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SurrogateGeneratorTests
{
    [Fact]
    public void MS_01_prefix_list_and_order_are_the_reference_ones() =>
        Assert.Equal(
            ["github_pat_", "ghp_", "gho_", "ghs_", "ghr_", "sk-ant-", "sk-", "xoxb-", "xoxp-", "AKIA", "ASIA"],
            SurrogateGenerator.KnownPrefixes);

    [Theory]
    [InlineData("github_pat_11ABCDEFG0123456789abcdef", "github_pat_")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_")]
    [InlineData("gho_abcdefghijkl", "gho_")]
    [InlineData("ghs_abcdefghijkl", "ghs_")]
    [InlineData("ghr_abcdefghijkl", "ghr_")]
    [InlineData("sk-ant-api03-abcdefghijkl", "sk-ant-")]
    [InlineData("sk-proj-abcdefghijkl", "sk-")]
    [InlineData("xoxb-1234-5678-abcdef", "xoxb-")]
    [InlineData("xoxp-1234-5678-abcdef", "xoxp-")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "AKIA")]
    [InlineData("ASIAIOSFODNN7EXAMPLE", "ASIA")]
    [InlineData("GHP_abcdefghijkl", "")]
    [InlineData("plainsecretvalue", "")]
    public void MS_01_known_prefix_is_kept_case_sensitively_and_first_match_wins(string value, string prefix)
    {
        Assert.Equal(prefix, SurrogateGenerator.PrefixOf(value));
        var surrogate = SurrogateGenerator.Generate(value);
        Assert.StartsWith(prefix, surrogate, StringComparison.Ordinal);
        Assert.NotEqual(value, surrogate);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("ghp_x")]
    [InlineData("0123456789012345678901234567890123456789")]
    public void MS_02_surrogate_has_the_same_length(string value) =>
        Assert.Equal(value.Length, SurrogateGenerator.Generate(value).Length);

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    [InlineData("01234567890123456789", "0123456789")]
    [InlineData("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")]
    [InlineData("////++++====", "-_")]
    public void MS_03_charset_comes_from_suffix_classes_and_specials_become_dash_underscore(string value, string charset)
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.All(SurrogateGenerator.Generate(value), c => Assert.Contains(c, charset));
        }
    }

    [Fact]
    public void MS_03_every_charset_character_is_reachable()
    {
        var seen = new HashSet<char>();
        for (var i = 0; i < 200; i++)
        {
            seen.UnionWith(SurrogateGenerator.Generate("abc123abc123abc123abc123"));
        }

        Assert.Equal(36, seen.Count);
    }

    [Fact]
    public void MS_03_prefix_characters_do_not_widen_the_charset()
    {
        // "sk-" has a dash, the suffix has only digits.
        for (var i = 0; i < 50; i++)
        {
            Assert.All(SurrogateGenerator.Generate("sk-0123456789")[3..], c => Assert.True(char.IsAsciiDigit(c)));
        }
    }

    [Fact]
    public void MS_04_reference_generator_returns_a_prefix_only_value_unchanged() =>
        Assert.Equal("ghp_", SurrogateGenerator.Generate("ghp_"));

    [Theory]
    [InlineData("ghp_")]
    [InlineData("ghp_1234567")]
    [InlineData("Q")]
    [InlineData("Zq9#W")]
    [InlineData("AKIA1234")]
    public void SEC_10_values_with_a_random_part_under_8_characters_are_refused(string value)
    {
        var error = Assert.Throws<SandboxConfigurationException>(() => SurrogateGenerator.CreateFor("TOKEN", value));
        Assert.Equal("masked_secrets.TOKEN.value", error.Key);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ghp_12345678")]
    [InlineData("12345678")]
    public void SEC_10_eight_random_characters_are_enough(string value)
    {
        var surrogate = SurrogateGenerator.CreateFor("TOKEN", value);
        Assert.False(string.Equals(surrogate, value, StringComparison.Ordinal));
    }

    [Fact]
    public void MS_01_to_03_SEC_10_property_surrogates_keep_shape_and_never_equal_the_value()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+=-_.:~";
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var n = 0; n < 3000; n++)
        {
            var prefix = random.Next(3) == 0 ? string.Empty : SurrogateGenerator.KnownPrefixes[random.Next(SurrogateGenerator.KnownPrefixes.Count)];
            var suffix = new string(Enumerable.Range(0, random.Next(8, 60)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var value = prefix + suffix;
            var surrogate = SurrogateGenerator.CreateFor("P", value);

            var actualPrefix = SurrogateGenerator.PrefixOf(value);
            var ok = !string.Equals(surrogate, value, StringComparison.Ordinal)
                && surrogate.Length == value.Length
                && surrogate.StartsWith(actualPrefix, StringComparison.Ordinal)
                && surrogate[actualPrefix.Length..].All(c => InClassOf(c, value[actualPrefix.Length..]));
            Assert.True(ok, $"surrogate shape property failed at case {n}; seed {seed}");
        }
    }

    private static bool InClassOf(char c, string suffix) =>
        char.IsAsciiLetterUpper(c) ? suffix.Any(char.IsAsciiLetterUpper)
        : char.IsAsciiLetterLower(c) ? suffix.Any(char.IsAsciiLetterLower)
        : char.IsAsciiDigit(c) ? suffix.Any(char.IsAsciiDigit)
        : (c is '-' or '_') && suffix.Any(x => !char.IsAsciiLetterOrDigit(x));
}
