using System.Text;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Proxy.BodyFilters;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Proxy.Tests.BodyFilters;

/// <summary>The pipeline of OPT-6 with scripted filters: order, rewrites, fail-closed errors and framing.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "OPT-6")]
public sealed class BodyFilterPipelineTests
{
    private static readonly BodyFilterRequest Request = new("api.test", "/x", "/x", null);

    [Fact]
    public async Task OPT_6_when_no_filter_applies_the_body_stream_is_left_alone()
    {
        var proxied = Proxied("payload");
        var original = proxied.Body;

        var outcome = await Run(proxied, new ScriptedFilter("a", applies: false));

        Assert.Same(BodyFilterOutcome.NotFiltered, outcome);
        Assert.Same(original, proxied.Body);
        Assert.Equal(0, original!.Position);
    }

    [Fact]
    public async Task OPT_6_each_filter_sees_the_previous_rewrite_and_the_final_body_is_reframed()
    {
        var proxied = Proxied("one", ("Content-Length", "3"), ("Transfer-Encoding", "chunked"));
        var second = new ScriptedFilter("b", apply: body => BodyFilterResult.Rewritten(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body.Span) + "+three"), "b-tag"));

        var outcome = await Run(proxied, new ScriptedFilter("a", apply: _ => BodyFilterResult.Rewritten(Encoding.UTF8.GetBytes("two"), "a-tag")), second);

        Assert.Null(outcome.Block);
        Assert.Equal(["a: a-tag", "b: b-tag"], outcome.Tags.Select(t => $"{t.FilterName}: {t.Tag}"));
        Assert.Equal("two", second.Seen);
        Assert.Equal("two+three", new StreamReader(proxied.Body!).ReadToEnd());
        Assert.Equal(9, proxied.ContentLength);
        Assert.Equal([new HeaderField("Content-Length", "9")], proxied.Headers.Where(h => h.Name.StartsWith("Content-Length", StringComparison.Ordinal) || h.Name == "Transfer-Encoding"));
    }

    [Fact]
    [Trait("Spec", "PX-13")]
    public async Task OPT_6_a_block_stops_the_pipeline_and_keeps_earlier_tags_in_order()
    {
        var later = new ScriptedFilter("c");

        var outcome = await Run(
            Proxied("x"),
            new ScriptedFilter("a", apply: _ => BodyFilterResult.Passed("seen")),
            new ScriptedFilter("b", apply: _ => BodyFilterResult.Blocked("some_code", "Refused.", "why", "b-tag")),
            later);

        Assert.Equal("{\"error\":\"some_code\",\"message\":\"Refused.\",\"detail\":\"why\"}", outcome.Block!.ToJson());
        Assert.Equal(["a: seen", "b: b-tag"], outcome.Tags.Select(t => $"{t.FilterName}: {t.Tag}"));
        Assert.Null(later.Seen);
    }

    [Theory]
    [Trait("Spec", "PX-13")]
    [InlineData("gate")]
    [InlineData("apply")]
    public async Task OPT_6_a_filter_that_throws_blocks_with_filter_error(string where)
    {
        var filter = new ScriptedFilter(
            "boom",
            appliesThrows: where == "gate",
            apply: _ => throw new InvalidOperationException("body text that must not be echoed"));

        var outcome = await Run(Proxied("x"), filter);

        var json = System.Text.Json.JsonDocument.Parse(outcome.Block!.ToJson()).RootElement;
        Assert.Equal(["error", "message", "detail"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("filter_error", json.GetProperty("error").GetString());
        Assert.Equal("The airut network proxy could not inspect this request body and rejected it.", json.GetProperty("message").GetString());
        Assert.Equal("<boom: InvalidOperationException>", json.GetProperty("detail").GetString());
        Assert.DoesNotContain("must not be echoed", outcome.Block.ToJson(), StringComparison.Ordinal);
        Assert.Equal("<error: InvalidOperationException>", Assert.Single(outcome.Tags).Tag);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("rot13")]
    [InlineData("identity, br")]
    public async Task OPT_6_an_encoded_body_is_refused_as_a_filter_error(string encoding)
    {
        var filter = new ScriptedFilter("f");

        var outcome = await Run(Proxied("x", ("Content-Encoding", encoding)), filter);

        Assert.Equal("filter_error", outcome.Block!.Error);
        Assert.Equal("<f: UnsupportedContentEncodingException>", outcome.Block.Detail);
        Assert.Null(filter.Seen);
    }

    [Fact]
    public async Task OPT_6_an_identity_encoding_is_inspected_like_no_encoding()
    {
        var filter = new ScriptedFilter("f");

        var outcome = await Run(Proxied("x", ("Content-Encoding", "Identity")), filter);

        Assert.Null(outcome.Block);
        Assert.Equal("x", filter.Seen);
    }

    [Fact]
    public async Task OPT_6_a_body_longer_than_every_cap_is_read_only_one_byte_past_the_largest()
    {
        var small = new ScriptedFilter("small", maxBodyBytes: 4);
        var large = new ScriptedFilter("large", maxBodyBytes: 10);

        await Run(Proxied(new string('x', 1000)), small, large);

        Assert.Equal(11, small.Seen!.Length);
        Assert.Equal(11, large.Seen!.Length);
    }

    [Fact]
    public async Task OPT_6_a_request_without_a_body_gives_filters_an_empty_one_and_stays_bodiless()
    {
        var filter = new ScriptedFilter("f");
        var proxied = Proxied(null);

        await Run(proxied, filter);

        Assert.Equal(string.Empty, filter.Seen);
        Assert.Null(proxied.Body);
    }

    private static Task<BodyFilterOutcome> Run(ProxiedRequest proxied, params IRequestBodyFilter[] filters) =>
        new BodyFilterPipeline(filters, NullLogger<BodyFilterPipeline>.Instance).RunAsync(Request, proxied, CancellationToken.None);

    private static ProxiedRequest Proxied(string? body, params (string Name, string Value)[] headers) => new()
    {
        Method = "POST",
        Scheme = "https",
        Host = "api.test",
        Port = 443,
        PathAndQuery = "/x",
        Headers = [.. headers.Select(h => new HeaderField(h.Name, h.Value))],
        Body = body is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(body)),
        ContentLength = body?.Length,
    };

    private sealed class ScriptedFilter(
        string name,
        bool applies = true,
        bool appliesThrows = false,
        Func<ReadOnlyMemory<byte>, BodyFilterResult>? apply = null,
        int maxBodyBytes = 1024) : IRequestBodyFilter
    {
        public string? Seen { get; private set; }

        public string Name => name;

        public int MaxBodyBytes => maxBodyBytes;

        public bool AppliesTo(BodyFilterRequest request) => appliesThrows ? throw new InvalidOperationException("gate") : applies;

        public BodyFilterResult Apply(BodyFilterRequest request, ReadOnlyMemory<byte> body)
        {
            Seen = Encoding.UTF8.GetString(body.Span);
            return apply?.Invoke(body) ?? BodyFilterResult.Passed();
        }
    }
}
