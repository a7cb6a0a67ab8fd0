using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Aws;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class AwsUriEncodingTests
{
    [Theory]
    [InlineData("a b", false, "a%20b")]
    [InlineData("a/b~c", true, "a/b~c")]
    [InlineData("a/b", false, "a%2Fb")]
    [InlineData("é", false, "%C3%A9")]
    [InlineData("😀", false, "%F0%9F%98%80")]
    public void SIG_31_encoding_keeps_unreserved_characters_and_upper_case_escapes_every_other_utf8_byte(string value, bool keepSlash, string expected) =>
        Assert.Equal(expected, AwsUriEncoding.Encode(value, keepSlash));

    [Theory]
    [InlineData("a%20b+c", true, "a b c")]
    [InlineData("a%20b+c", false, "a b+c")]
    [InlineData("%zz%4", false, "%zz%4")]
    [InlineData("%C3%A9", false, "é")]
    [InlineData("😀x", false, "😀x")]
    public void Decoding_turns_valid_escapes_into_utf8_text_and_leaves_broken_ones_literal(string value, bool plusIsSpace, string expected) =>
        Assert.Equal(expected, AwsUriEncoding.Decode(value, plusIsSpace));

    // Built at run time: xunit's test-case serialization would rewrite a lone surrogate in InlineData.
    [Fact]
    public void Decoding_a_lone_surrogate_gives_the_replacement_character_instead_of_throwing()
    {
        const char High = (char)0xD800;
        const char Low = (char)0xDC00;
        Assert.Equal("A\uFFFDx", AwsUriEncoding.Decode("%41" + High + "x", plusIsSpace: false));
        Assert.Equal("A\uFFFD", AwsUriEncoding.Decode("%41" + High, plusIsSpace: false));
        Assert.Equal("A\uFFFD\uFFFD", AwsUriEncoding.Decode("%41" + Low + High, plusIsSpace: false));
    }
}
