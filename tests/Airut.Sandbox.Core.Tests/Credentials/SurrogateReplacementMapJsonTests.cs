using System.Text.Json;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Credentials;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Credentials.MaskingFixture;

namespace Airut.Sandbox.Core.Tests.Credentials;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SurrogateReplacementMapJsonTests
{
    private static string Write(SurrogateReplacementMap map, Action<Utf8JsonWriter>? extra = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            SurrogateReplacementMapJson.WriteEntries(writer, map);
            extra?.Invoke(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void MS_09_round_trip_keeps_surrogate_value_scopes_headers_and_flag()
    {
        var map = SurrogateReplacementMap.Create([Tok(), Tok(name: "OTHER", allowForeign: true, real: "other-REAL-value-0123456789")]);
        using var json = JsonDocument.Parse(Write(map));
        var read = SurrogateReplacementMapJson.Read(json.RootElement);
        Assert.Equal(map.Entries.Select(e => e.Surrogate), read.Entries.Select(e => e.Surrogate));
        Assert.Equal(map.Entries.Select(e => e.EnvName), read.Entries.Select(e => e.EnvName));
        Assert.True(read.Entries[0].Secret.Value.Reveal == TokReal, "real value did not round-trip");
        Assert.Equal(["scoped.test", "*.scoped.test"], read.Entries[0].Secret.Scopes);
        Assert.Equal(["Authorization"], read.Entries[0].Secret.Headers);
        Assert.False(read.Entries[0].Secret.AllowForeignCredentials);
        Assert.True(read.Entries[1].Secret.AllowForeignCredentials);
    }

    [Fact]
    public void MS_09_allow_foreign_credentials_is_written_only_when_true()
    {
        var map = SurrogateReplacementMap.Create([Tok()]);
        Assert.DoesNotContain("allow_foreign_credentials", Write(map), StringComparison.Ordinal);
    }

    [Fact]
    public void MS_20_typed_signing_entries_are_skipped()
    {
        var map = SurrogateReplacementMap.Create([Tok()]);
        var text = Write(map, w =>
        {
            w.WriteStartObject("AKIASURROGATE0000000");
            w.WriteString("type", "aws-sigv4");
            w.WriteEndObject();
        });
        using var json = JsonDocument.Parse(text);
        Assert.Single(SurrogateReplacementMapJson.Read(json.RootElement).Entries);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"s\": 1}")]
    [InlineData("{\"surrogate-0123456789\": {\"env_name\": \"A\", \"value\": 5, \"scopes\": [\"a\"], \"headers\": [\"b\"]}}")]
    [InlineData("{\"surrogate-0123456789\": {\"env_name\": \"A\", \"value\": \"v\", \"scopes\": \"a\", \"headers\": [\"b\"]}}")]
    [InlineData("{\"surrogate-0123456789\": {\"env_name\": \"A\", \"value\": \"v\", \"scopes\": [], \"headers\": [\"b\"]}}")]
    public void Malformed_maps_are_refused(string text)
    {
        using var json = JsonDocument.Parse(text);
        Assert.Throws<SandboxConfigurationException>(() => SurrogateReplacementMapJson.Read(json.RootElement));
    }
}
