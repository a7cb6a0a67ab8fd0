using System.Collections.Concurrent;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>
/// The proxy's debug mode (LOG-03): with the filter <c>airut-proxy --log-level debug</c> uses, every request gets a
/// decision line, an injected masked secret a line naming secret, header and host, and an AWS re-signing the
/// DEBUG_SIGNING equivalent (scope, signed headers, canonical request hash); no line holds a real value. At the
/// default filter none of these lines is written.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class ProxyDebugLogTests
{
    private const string RealKeyId = "AKIAREALKEYID0000042";
    private const string RealSecretKey = "realSecretAccessKey00000000000000000042xx";
    private const string RealSessionToken = "realSessionToken000000000000000000000000000042";
    private const string SurrogateKeyId = "AKIASURROGATE0000042";

    private static readonly ProxySigningCredential Aws = new()
    {
        Label = "AWS",
        SurrogateAccessKeyId = SurrogateKeyId,
        SurrogateSecretAccessKey = "surrogateSecretKey000000000000000000042x",
        SurrogateSessionToken = "surrogateSessionToken0000000000000000000000042",
        AccessKeyId = RealKeyId,
        SecretAccessKey = RealSecretKey,
        SessionToken = RealSessionToken,
        Scopes = ["*.scoped.test"],
    };

    private static readonly string[] RealValues = [ProxyHarness.Real, RealKeyId, RealSecretKey, RealSessionToken];

    [Fact]
    [Trait("Spec", "LOG-03")]
    public async Task LOG_03_at_debug_the_decision_masking_and_re_signing_lines_appear_and_hold_no_real_value()
    {
        var entries = await SendRequestsAsync(LogLevel.Debug);
        var debug = entries.Where(e => e.Level == LogLevel.Debug).Select(e => e.Line).ToList();

        Assert.Contains(debug, l => l.Contains("Egress decision GET https://scoped.test/pub/masked: allowed reason=DomainMatched", StringComparison.Ordinal));
        Assert.Contains(debug, l => l.Contains("Egress decision GET https://evil.test/x: blocked reason=NotAllowlisted", StringComparison.Ordinal));
        Assert.Contains(debug, l => l.Contains("Masked secret TOK: injected into header 'Authorization' for scoped.test", StringComparison.Ordinal));
        var signing = Assert.Single(debug, l => l.Contains("AWS re-signed (header) with credential AWS", StringComparison.Ordinal));
        Assert.Contains("region=us-east-1 service=s3 scope=20260101/us-east-1/s3/aws4_request", signing, StringComparison.Ordinal);
        Assert.Contains("signed_headers=host;x-amz-content-sha256;x-amz-date;x-amz-security-token", signing, StringComparison.Ordinal);
        Assert.Matches("canonical_request_sha256=[0-9a-f]{64}$", signing);
        AssertNoRealValue(entries);
    }

    [Fact]
    [Trait("Spec", "LOG-03")]
    public async Task LOG_03_at_trace_kestrel_and_asp_net_core_log_too_and_still_no_line_holds_a_real_value()
    {
        var entries = await SendRequestsAsync(LogLevel.Trace);

        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Line.Contains("Masked secret TOK: injected", StringComparison.Ordinal));
        AssertNoRealValue(entries);
    }

    [Fact]
    [Trait("Spec", "LOG-03")]
    public async Task LOG_03_at_the_default_level_no_per_request_line_is_written()
    {
        var entries = await SendRequestsAsync(null);

        Assert.DoesNotContain(entries, e => e.Level < LogLevel.Warning);
        Assert.DoesNotContain(entries, e => e.Line.Contains("Egress decision", StringComparison.Ordinal) || e.Line.Contains("Masked secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("information", LogLevel.Information)]
    [InlineData("critical", LogLevel.Critical)]
    public void LOG_03_level_names_parse(string text, LogLevel expected)
    {
        Assert.True(ProxyLogFilter.TryParseLevel(text, out var level));
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("none")]
    [InlineData("verbose")]
    [InlineData("")]
    public void LOG_03_anything_else_is_not_a_level(string text) => Assert.False(ProxyLogFilter.TryParseLevel(text, out _));

    private static async Task<List<(LogLevel Level, string Category, string Line)>> SendRequestsAsync(LogLevel? level)
    {
        var sink = new ConcurrentQueue<(LogLevel, string, string)>();
        using (var factory = new LoggerFactory([new CollectingProvider(sink)], ProxyLogFilter.Create(level)))
        {
            await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()], signingCredentials: [Aws], loggerFactory: factory);

            var masked = await harness.RawAsync(
                $"GET /pub/masked HTTP/1.1\r\nHost: scoped.test\r\nAuthorization: Bearer {ProxyHarness.Surrogate}\r\nConnection: close\r\n\r\n", tls: true, sni: "scoped.test");
            Assert.StartsWith("HTTP/1.1 200", masked, StringComparison.Ordinal);
            var signed = await harness.RawAsync(SignedGet(), tls: true, sni: "s3.scoped.test");
            Assert.StartsWith("HTTP/1.1 200", signed, StringComparison.Ordinal);
            var blocked = await harness.RawAsync("GET /x HTTP/1.1\r\nHost: evil.test\r\nConnection: close\r\n\r\n", tls: true, sni: "evil.test");
            Assert.StartsWith("HTTP/1.1 403", blocked, StringComparison.Ordinal);

            // The injection really happened, so "no real value in the log" is not vacuous.
            Assert.Contains(harness.Scoped.Requests, r => r.HeaderValues("Authorization").Contains($"Bearer {ProxyHarness.Real}"));
            Assert.Contains(harness.Scoped.Requests, r => r.HeaderValues("X-Amz-Security-Token").Contains(RealSessionToken));
        }

        return [.. sink];
    }

    private static void AssertNoRealValue(List<(LogLevel Level, string Category, string Line)> entries)
    {
        var all = string.Join('\n', entries.Select(e => e.Line));
        Assert.All(RealValues, real => Assert.DoesNotContain(real, all, StringComparison.Ordinal));
    }

    private static string SignedGet() =>
        "GET /bucket/key HTTP/1.1\r\nHost: s3.scoped.test\r\nX-Amz-Date: 20260101T000000Z\r\n" +
        "X-Amz-Content-Sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n" +
        $"X-Amz-Security-Token: {Aws.SurrogateSessionToken}\r\n" +
        $"Authorization: AWS4-HMAC-SHA256 Credential={SurrogateKeyId}/20260101/us-east-1/s3/aws4_request, " +
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=" + new string('0', 64) + "\r\nConnection: close\r\n\r\n";

    /// <summary>Keeps level, category and formatted message (with any exception) of what passed the filter.</summary>
    private sealed class CollectingProvider(ConcurrentQueue<(LogLevel, string, string)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string, string)> sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue((logLevel, category, $"{formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}"));
        }
    }
}
