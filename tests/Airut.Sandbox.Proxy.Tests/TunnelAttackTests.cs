using System.Net;
using System.Text;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>attacks.md TUN-01, TUN-02: CONNECT is never tunnelled; WebSocket upgrades are judged like any request.</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class TunnelAttackTests
{
    [Fact]
    [Trait("Spec", "TUN-01")]
    [Trait("Spec", "PX-12")]
    public async Task TUN_01_curl_proxy_tunnel_gets_403_and_is_logged_once()
    {
        await using var harness = await ProxyHarness.StartAsync();

        // No --connect-to here: curl must talk to the proxy as an explicit proxy.
        var result = await ExternalTool.RunAsync("curl",
            ["-sS", "--max-time", "10", "--cacert", harness.CaPath, "-p", "-x", $"http://127.0.0.1:{harness.HttpPort}", "https://evil.test/"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("403", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["BLOCKED CONNECT evil.test:443 -> 403 (tunneling not allowed)"], await harness.LogLinesAsync(1));
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }

    [Theory]
    [Trait("Spec", "SEC-08")]
    [Trait("Spec", "TUN-01")]
    [InlineData(false, "CONNECT allowed.test:443 HTTP/1.1\r\nHost: allowed.test:443\r\n\r\n", "allowed.test:443")]
    [InlineData(true, "CONNECT evil.test:443 HTTP/1.1\r\nHost: evil.test:443\r\n\r\n", "evil.test:443")]
    [InlineData(false, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n", "127.0.0.1:22")]
    public async Task TUN_01_raw_connect_to_any_target_gets_403_even_when_allowlisted(bool tls, string request, string target)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(request, tls);

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.Contains("CONNECT tunneling is not allowed", response, StringComparison.Ordinal);
        Assert.Equal([$"BLOCKED CONNECT {target} -> 403 (tunneling not allowed)"], await harness.LogLinesAsync(1));
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }

    [Fact]
    [Trait("Spec", "TUN-01")]
    public async Task TUN_01_bytes_after_a_refused_connect_are_parsed_as_http_and_judged()
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(
            "CONNECT evil.test:80 HTTP/1.1\r\nHost: evil.test:80\r\n\r\nGET /priv/secret HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n");

        Assert.Equal(2, CountOccurrences(response, "HTTP/1.1 403"));
        Assert.DoesNotContain("CANARY-PRIV", response, StringComparison.Ordinal);
        Assert.Equal(
            ["BLOCKED CONNECT evil.test:80 -> 403 (tunneling not allowed)", "BLOCKED GET http://allowed.test/priv/secret -> 403"],
            await harness.LogLinesAsync(2));
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Fact]
    [Trait("Spec", "TUN-01")]
    public async Task TUN_01_http2_connect_and_extended_connect_are_refused_without_upstream_contact()
    {
        // Documented choice: an HTTP/2 extended CONNECT (RFC 8441 websocket) gets the same 403 as any CONNECT.
        await using var harness = await ProxyHarness.StartAsync();

        var plain = await Http2RawClient.SendAsync(harness, [(":method", "CONNECT"), (":authority", "evil.test:443")]);
        var extended = await Http2RawClient.SendAsync(harness,
            [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/pub/ws"), (":authority", "allowed.test")]);

        Assert.False(plain.Ok);
        Assert.False(extended.Ok);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        Assert.All(await harness.LogLinesAsync(0), line => Assert.StartsWith("BLOCKED CONNECT", line, StringComparison.Ordinal));
        await harness.AssertStillServesAsync();
    }

    [Theory]
    [Trait("Spec", "TUN-02")]
    [Trait("Spec", "SEC-14")]
    [InlineData("evil.test", "/ws", "This host/path is not in the network allowlist")]
    [InlineData("allowed.test", "/admin/ws", "This host/path is not in the network allowlist")]
    [InlineData("allowed.test", "/post-only/ws", "Method GET is not allowed for this URL")]
    public async Task TUN_02_websocket_upgrade_is_checked_like_any_request(string host, string path, string message)
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: new()
        {
            Domains = ["scoped.test"],
            UrlPrefixes =
            [
                new() { Host = "allowed.test", Path = "/pub/*" },
                new() { Host = "allowed.test", Path = "/post-only/*", Methods = ["POST"] },
            ],
        });

        var response = await harness.RawAsync(Upgrade(host, path, authorization: null), tls: true, sni: host);

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.Contains(message, response, StringComparison.Ordinal);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        Assert.Equal([$"BLOCKED GET https://{host}{path} -> 403"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "TUN-02")]
    [Trait("Spec", "MS-29")]
    public async Task TUN_02_allowed_upgrade_gets_the_real_credential_in_the_header_but_frames_are_relayed_verbatim()
    {
        await using var harness = await ProxyHarness.StartAsync(
            maskedSecrets: [ProxyHarness.Tok()],
            respond: (_, request) => request.HasHeader("Upgrade") ? new(101, string.Empty, SwitchProtocols: true) : null!);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, harness.HttpsPort);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, c, _, e) => harness.ChainsToCa(c, e, requireName: true));
        await tls.AuthenticateAsClientAsync("scoped.test");

        await tls.WriteAsync(Encoding.ASCII.GetBytes(Upgrade("scoped.test", "/pub/ws", "Bearer " + ProxyHarness.Surrogate)));
        var head = await ReadUntilAsync(tls, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        var frame = Encoding.ASCII.GetBytes("frame carrying " + ProxyHarness.Surrogate);
        await tls.WriteAsync(frame);
        var echoed = await ReadUntilAsync(tls, ProxyHarness.Surrogate);

        Assert.EndsWith(ProxyHarness.Surrogate, echoed, StringComparison.Ordinal);
        var upgrade = Assert.Single(harness.Scoped.Requests);
        Assert.Equal(["Bearer " + ProxyHarness.Real], upgrade.HeaderValues("Authorization"));
        Assert.Equal(["websocket"], upgrade.HeaderValues("Upgrade"));
        var afterHeaders = harness.Scoped.AllText().Split("\r\n\r\n", 2)[1];
        Assert.Contains(ProxyHarness.Surrogate, afterHeaders, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, afterHeaders, StringComparison.Ordinal);
        Assert.Equal(["ALLOWED GET https://scoped.test/pub/ws -> 101 [masked: 1]"], await harness.LogLinesAsync(1));
    }

    internal static string Upgrade(string host, string path, string? authorization) =>
        $"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
        $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{(authorization is null ? string.Empty : $"Authorization: {authorization}\r\n")}\r\n";

    private static async Task<string> ReadUntilAsync(Stream stream, string marker)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, limit.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
