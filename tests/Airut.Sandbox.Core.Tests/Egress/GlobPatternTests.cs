using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Egress;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "AL-15")]
public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("abc", false)]
    [InlineData("/v[12]", false)]
    [InlineData("a*", true)]
    [InlineData("a?", true)]
    [InlineData("[a]*", true)]
    public void AL_15_only_star_or_question_mark_makes_a_glob(string pattern, bool isGlob) =>
        Assert.Equal(isGlob, new GlobPattern(pattern).IsGlob);

    [Theory]
    [InlineData("/v[12]", "/v[12]", true)]
    [InlineData("/v[12]", "/v1", false)]
    [InlineData("abc", "ABC", false)]
    [InlineData("abc", "abcd", false)]
    public void AL_15_non_glob_matches_by_ordinal_equality_with_literal_brackets(string pattern, string subject, bool match) =>
        Assert.Equal(match, new GlobPattern(pattern).IsMatch(subject));

    [Theory]
    [InlineData("*", "")]
    [InlineData("*", "a/b.c?d")]
    [InlineData("a*b", "a\nb")]
    [InlineData("a*b", "ab")]
    [InlineData("a*b", "a/x/y.z?q=1b")]
    [InlineData("**", "anything")]
    public void AL_15_star_matches_any_run_including_empty_slash_dot_question_and_newline(string pattern, string subject) =>
        Assert.True(new GlobPattern(pattern).IsMatch(subject));

    [Theory]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", true)]
    [InlineData("a?c", "a\nc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("a?c", "abbc", false)]
    public void AL_15_question_mark_matches_exactly_one_character(string pattern, string subject, bool match) =>
        Assert.Equal(match, new GlobPattern(pattern).IsMatch(subject));

    [Theory]
    [InlineData("[abc]*", "b1", true)]
    [InlineData("[abc]*", "d1", false)]
    [InlineData("[a-c]*", "c", true)]
    [InlineData("[a-c]*", "d", false)]
    [InlineData("[!abc]*", "d", true)]
    [InlineData("[!abc]*", "a", false)]
    [InlineData("[^a]*", "^", true)]
    [InlineData("[^a]*", "a", true)]
    [InlineData("[^a]*", "b", false)]
    [InlineData("[]]*", "]", true)]
    [InlineData("[!]]*", "]", false)]
    [InlineData("[!]]*", "x", true)]
    [InlineData("[z-a]*", "m", false)]
    [InlineData("[.]*", "x", false)]
    [InlineData("[\\]*", "\\", true)]
    public void AL_15_bracket_classes_support_ranges_and_bang_negation_and_caret_is_literal(string pattern, string subject, bool match) =>
        Assert.Equal(match, new GlobPattern(pattern).IsMatch(subject));

    [Theory]
    [InlineData("a[b*", "a[bcd", true)]
    [InlineData("a[b*", "abcd", false)]
    [InlineData("*[", "x[", true)]
    public void AL_15_unclosed_bracket_is_literal(string pattern, string subject, bool match) =>
        Assert.Equal(match, new GlobPattern(pattern).IsMatch(subject));

    [Theory]
    [InlineData("a.b*", "aXbc")]
    [InlineData("a+*", "aa")]
    [InlineData("(a)*", "a")]
    [InlineData("$*", "x")]
    [InlineData("a|b*", "b")]
    [InlineData("a{2}*", "aa")]
    [InlineData("\\d*", "1")]
    public void AL_15_every_other_character_is_literal(string pattern, string subject) =>
        Assert.False(new GlobPattern(pattern).IsMatch(subject));

    [Theory]
    [InlineData("abc*", "xabc")]
    [InlineData("*abc", "abcx")]
    [InlineData("a*c", "abcd")]
    public void AL_15_glob_must_match_the_entire_subject(string pattern, string subject) =>
        Assert.False(new GlobPattern(pattern).IsMatch(subject));

    [Fact]
    public void AL_15_translation_is_anchored_at_both_ends() =>
        Assert.Equal(@"^a.*\z", GlobPattern.ToRegex("a*"));

    [Fact]
    public void AL_15_many_stars_against_a_long_subject_stays_linear()
    {
        // With a backtracking engine this pattern against this subject would not finish.
        var pattern = new GlobPattern("*a*a*a*a*a*a*a*a*b");
        Assert.False(pattern.IsMatch(new string('a', 50_000)));
    }

    [Fact]
    public void AL_15_literal_fast_path_agrees_with_the_regex_on_random_subjects()
    {
        string[] patterns = ["*", "**", "*.github.com", "/repos/foo*", "a*b", "/api/*", "x**y", "*\n", "*.*"];
        const string alphabet = "ab./xy*\n?github.com";
        var seed = Environment.TickCount;
        var random = new Random(seed);
        foreach (var pattern in patterns)
        {
            var fast = new GlobPattern(pattern);
            var regex = new System.Text.RegularExpressions.Regex(GlobPattern.ToRegex(pattern), System.Text.RegularExpressions.RegexOptions.Singleline);
            for (var n = 0; n < 2000; n++)
            {
                var subject = new string(Enumerable.Range(0, random.Next(0, 16)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                Assert.True(fast.IsMatch(subject) == regex.IsMatch(subject), $"pattern {pattern} disagrees at case {n}; seed {seed}");
            }
        }
    }
}
