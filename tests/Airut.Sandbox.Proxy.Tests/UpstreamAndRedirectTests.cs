using System.Net;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Testing;
using Airut.Sandbox.Testing.Recording;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>PX-17, PX-18, additions.md <c>upstream_hosts_only</c>, REDIR-01: what the proxy does towards upstreams.</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class UpstreamAndRedirectTests
{
    [Fact]
    [Trait("Spec", "PX-18")]
    [Trait("Spec", "SEC-36")]
    public async Task PX_18_an_allowed_name_missing_from_upstream_hosts_gets_502_and_one_error_line_without_any_lookup()
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: new ProxyAllowlist { Domains = ["unmapped.test"] });
        using var client = harness.CreateClient();

        using var response = await client.GetAsync(new Uri("https://unmapped.test/x"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(["ERROR GET https://unmapped.test/x -> not in upstream_hosts"], await harness.LogLinesAsync(1));
        Assert.Contains("ERROR GET https://unmapped.test/x", harness.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "PX-18")]
    public async Task PX_18_a_refused_upstream_connection_gets_502_and_one_error_line()
    {
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var harness = await ProxyHarness.StartAsync(
            allowlist: ProxyHarness.DefaultAllowlist with { Domains = ["down.test"] },
            extraUpstreamHosts: [new ProxyUpstreamHost { Pattern = "down.test", Address = "127.0.0.1", Port = closedPort }]);
        using var client = harness.CreateClient();

        using var response = await client.GetAsync(new Uri("http://down.test/x"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var line = Assert.Single(await harness.LogLinesAsync(1));
        Assert.StartsWith("ERROR GET http://down.test/x -> connection failed", line, StringComparison.Ordinal);
        await harness.AssertStillServesAsync();
    }

    [Fact]
    [Trait("Spec", "PX-17")]
    public async Task PX_17_bodies_stream_both_ways_and_hop_by_hop_headers_are_dropped_both_ways()
    {
        await using var harness = await ProxyHarness.StartAsync(respond: (_, request) => new RecorderResponse(
            201,
            $"got {request.Body.Length} bytes",
            [new("Connection", "close, X-Hop"), new("X-Hop", "1"), new("Keep-Alive", "timeout=5"), new("X-Kept", "yes")]));
        using var client = harness.CreateClient(HttpVersion.Version20);
        var payload = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Put, "https://open.test/upload") { Content = new ByteArrayContent(payload) };
        request.Headers.TryAddWithoutValidation("X-Trace", "1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"got {payload.Length} bytes", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Hop"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.Equal(["yes"], response.Headers.GetValues("X-Kept"));
        var received = Assert.Single(harness.Open.Requests);
        Assert.Equal(payload, received.Body);
        Assert.Equal(["1"], received.HeaderValues("X-Trace"));
    }

    [Fact]
    [Trait("Spec", "REDIR-01")]
    public async Task REDIR_01_redirects_are_relayed_unchanged_and_never_followed_by_the_proxy()
    {
        await using var harness = await ProxyHarness.StartAsync(respond: (name, request) => name == "allowed.test" && request.Target.StartsWith("/pub/r", StringComparison.Ordinal)
            ? new RecorderResponse(302, string.Empty, [new("Location", request.Target[6..] switch
            {
                "1" => "http://evil.test/steal?d=SECRET",
                "2" => "//evil.test/",
                "3" => "http://127.0.0.1/",
                _ => "http://10.199.1.100/",
            })])
            : RecorderResponse.Ok(name, request.Target));

        var plain = await harness.CurlAsync("-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "https://allowed.test/pub/r1");
        var followed = await harness.CurlAsync("-s", "-L", "-o", "/dev/null", "-w", "%{http_code}", "https://allowed.test/pub/r1");
        var others = new List<string>();
        foreach (var variant in new[] { "2", "3", "4" })
        {
            others.Add((await harness.CurlAsync("-s", "-L", "-o", "/dev/null", "-w", "%{http_code}", $"https://allowed.test/pub/r{variant}")).Stdout);
        }

        Assert.Equal("302 http://evil.test/steal?d=SECRET", plain.Stdout);
        Assert.Equal("403", followed.Stdout);
        Assert.Equal(["403", "403", "403"], others);
        Assert.Equal(0, harness.Evil.ConnectionCount);
        Assert.Contains("BLOCKED GET http://evil.test/steal?d=SECRET -> 403", await harness.LogLinesAsync(9), StringComparer.Ordinal);
    }

    [Fact]
    [Trait("Spec", "PX-18")]
    [Trait("Spec", "LOG-9")]
    public async Task PX_18_a_client_that_leaves_while_an_allowed_request_is_in_flight_gets_one_error_line()
    {
        using var release = new ManualResetEventSlim();
        await using var harness = await ProxyHarness.StartAsync(respond: (name, request) =>
        {
            if (request.Target == "/pub/slow")
            {
                release.Wait(TimeSpan.FromSeconds(10));
            }

            return RecorderResponse.Ok(name, request.Target);
        });
        using var client = harness.CreateClient();
        using var leave = new CancellationTokenSource();

        var pending = client.GetAsync(new Uri("https://allowed.test/pub/slow"), leave.Token);
        while (harness.Allowed.Requests.Count == 0)
        {
            await Task.Delay(20);
        }

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var line = Assert.Single(await harness.LogLinesAsync(1));
        release.Set();

        Assert.Equal("ERROR GET https://allowed.test/pub/slow -> client disconnected", line);
    }
}
