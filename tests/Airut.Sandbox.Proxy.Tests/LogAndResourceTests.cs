using System.Net;
using System.Text;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>LOG-03 (completeness, no secrets), LOG-14 (cardinality), LOG-15 (escaping) and RES-06 (oversized input).</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class LogAndResourceTests
{
    [Fact]
    [Trait("Spec", "LOG-03")]
    [Trait("Spec", "LOG-14")]
    [Trait("Spec", "G2")]
    public async Task LOG_03_every_decided_request_appears_exactly_once_after_the_start_marker_and_no_real_value_anywhere()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);
        using var client = harness.CreateClient();
        var auth = "Bearer " + ProxyHarness.Surrogate;

        var sent = new List<string>();
        async Task Send(HttpMethod method, string url, string expectedLine)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("Authorization", auth);
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            sent.Add(expectedLine);
        }

        await Send(HttpMethod.Get, "https://allowed.test/pub/1", "ALLOWED GET https://allowed.test/pub/1 -> 200");
        await Send(HttpMethod.Get, "https://evil.test/2", "BLOCKED GET https://evil.test/2 -> 403");
        await Send(HttpMethod.Post, "https://scoped.test/3", "ALLOWED POST https://scoped.test/3 -> 200 [masked: 1]");
        await Send(HttpMethod.Delete, "http://allowed.test/priv/4", "BLOCKED DELETE http://allowed.test/priv/4 -> 403");
        await harness.RawAsync("CONNECT evil.test:443 HTTP/1.1\r\nHost: evil.test:443\r\n\r\n");
        sent.Add("BLOCKED CONNECT evil.test:443 -> 403 (tunneling not allowed)");

        var file = await File.ReadAllLinesAsync(harness.LogPath);
        var lines = await harness.LogLinesAsync(sent.Count);
        Assert.StartsWith("=== TASK START ", file[0], StringComparison.Ordinal);
        Assert.Equal(sent.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(ProxyHarness.Real, harness.LogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ALLOWED", harness.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, harness.Stdout.Split('\n').Count(l => l.StartsWith("BLOCKED GET", StringComparison.Ordinal) || l.StartsWith("BLOCKED DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    [Trait("Spec", "LOG-14")]
    public async Task LOG_15_request_controlled_text_cannot_forge_log_lines_and_bad_http_is_not_logged()
    {
        await using var harness = await ProxyHarness.StartAsync();

        await harness.RawAsync("GET /x%0a%0dALLOWED%20GET%20https://evil.test/%20-%3E%20200 HTTP/1.1\r\nHost: evil.test\r\nConnection: close\r\n\r\n");
        await harness.RawAsync("GET /x HTTP/1.1\r\nConnection: close\r\n\r\n");
        await harness.RawAsync("NOT-HTTP\r\n\r\n");

        var lines = await harness.LogLinesAsync(1);
        var line = Assert.Single(lines);
        Assert.StartsWith("BLOCKED GET http://evil.test/x%0a%0dALLOWED", line, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Spec", "RES-06")]
    [InlineData(64 * 1024, 0)]
    [InlineData(0, 1024 * 1024)]
    public async Task RES_06_oversized_paths_and_headers_are_refused_and_the_proxy_survives(int pathLength, int headerLength)
    {
        await using var harness = await ProxyHarness.StartAsync();
        var request = new StringBuilder();
        request.Append("GET /pub/").Append('a', pathLength).Append(" HTTP/1.1\r\nHost: allowed.test\r\n");
        if (headerLength > 0)
        {
            request.Append("X-Big: ").Append('b', headerLength).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");

        var response = await harness.RawAsync(request.ToString());

        Assert.True(response.Length == 0 || response.StartsWith("HTTP/1.1 4", StringComparison.Ordinal));
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public async Task RES_06_many_idle_connections_do_not_stop_the_proxy_serving()
    {
        await using var harness = await ProxyHarness.StartAsync();
        var idle = new List<System.Net.Sockets.TcpClient>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, i % 2 == 0 ? harness.HttpPort : harness.HttpsPort);
                await tcp.GetStream().WriteAsync("GET /pub/slow HTTP/1.1\r\nHost: allo"u8.ToArray());
                idle.Add(tcp);
            }

            await harness.AssertStillServesAsync();
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }
}
