using System.Net;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>attacks.md PATH-01..04, PATH-06, METH-01..03 through the running proxy (entry <c>allowed.test /pub/*</c>).</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class PathAndMethodAttackTests
{
    [Theory]
    [Trait("Spec", "PATH-01")]
    [Trait("Spec", "PATH-02")]
    [Trait("Spec", "SEC-7")]
    [InlineData("/pub/../priv/secret")]
    [InlineData("/pub/x/../../priv/secret")]
    [InlineData("/pub/..")]
    [InlineData("/pub/./../priv/secret")]
    [InlineData("/pub/%2e%2e/priv/secret")]
    [InlineData("/pub/%2E%2e/priv/secret")]
    [InlineData("/pub/.%2e/priv/secret")]
    [InlineData("/pub/%2e./priv/secret")]
    [InlineData("/pub/..%2fpriv%2fsecret")]
    [InlineData("/pub%2f..%2fpriv/secret")]
    [InlineData("/pub/%2e%2e%2fpriv/secret")]
    [InlineData("/pub/..?x=1")]
    public async Task PATH_01_02_dot_segments_literal_or_encoded_are_blocked_without_upstream_contact(string path)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", "https://allowed.test" + path);

        Assert.Equal("403", result.Stdout);
        Assert.Equal(0, harness.Allowed.ConnectionCount);
        Assert.Single(await harness.LogLinesAsync(1), $"BLOCKED GET https://allowed.test{path} -> 403");
    }

    [Theory]
    [Trait("Spec", "PATH-01")]
    [InlineData("/pub/..hidden")]
    [InlineData("/pub/...")]
    public async Task PATH_01_names_that_merely_start_with_dots_are_forwarded_unchanged(string path)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", "https://allowed.test" + path);

        Assert.Equal("200", result.Stdout);
        Assert.Equal(path, Assert.Single(harness.Allowed.Requests).Target);
    }

    [Theory]
    [Trait("Spec", "PATH-03")]
    [InlineData("/pub/%252e%252e/priv/secret")]
    [InlineData("/pub/%252e%252e%252fpriv%252fsecret")]
    [InlineData("/pub/%25252e")]
    public async Task PATH_03_double_encoding_is_blocked_or_forwarded_byte_identical(string path)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var result = await harness.CurlAsync("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", "https://allowed.test" + path);

        if (result.Stdout == "403")
        {
            Assert.Equal(0, harness.Allowed.ConnectionCount);
        }
        else
        {
            Assert.Equal("200", result.Stdout);
            Assert.Equal(path, Assert.Single(harness.Allowed.Requests).Target);
        }
    }

    [Theory]
    [Trait("Spec", "PATH-04")]
    [Trait("Spec", "SEC-5")]
    [Trait("Spec", "SEC-6")]
    [InlineData("GET /pub/..\\priv\\secret HTTP/1.1")]
    [InlineData("GET /pub/%5c..%5cpriv HTTP/1.1")]
    [InlineData("GET /pub\\x HTTP/1.1")]
    [InlineData("GET /pub/%00/../priv HTTP/1.1")]
    [InlineData("GET /pub/x%00.json HTTP/1.1")]
    [InlineData("GET /pub/x%0d%0aInjected:%20yes HTTP/1.1")]
    [InlineData("GET /pub#/../priv/secret HTTP/1.1")]
    [InlineData("GET /pub/a\0b HTTP/1.1")]
    [InlineData("GET /pub/a\tb HTTP/1.1")]
    [InlineData("GET /pub/a b HTTP/1.1")]
    public async Task PATH_04_forbidden_characters_get_403_or_400_and_never_reach_an_upstream(string requestLine)
    {
        await using var harness = await ProxyHarness.StartAsync();

        var response = await harness.RawAsync(requestLine + "\r\nHost: allowed.test\r\nConnection: close\r\n\r\n");

        Assert.Matches("^HTTP/1.1 40[03]", response);
        Assert.DoesNotContain("CANARY-PRIV", response, StringComparison.Ordinal);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }

    [Theory]
    [Trait("Spec", "PATH-06")]
    [InlineData("/files/secret.txt?x=.tar.gz")]
    [InlineData("/files/secret.txt?.tar.gz")]
    [InlineData("/files/secret.txt%3F.tar.gz")]
    public async Task PATH_06_the_query_string_never_satisfies_a_path_pattern(string path)
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: new ProxyAllowlist
        {
            UrlPrefixes = [new ProxyUrlPrefix { Host = "allowed.test", Path = "/files/*.tar.gz", Methods = ["GET"] }],
        });
        using var client = harness.CreateClient();

        using var blocked = await client.GetAsync(new Uri("https://allowed.test" + path));
        using var allowed = await client.GetAsync(new Uri("https://allowed.test/files/a.tar.gz?x=1"));

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("/files/a.tar.gz?x=1", Assert.Single(harness.Allowed.Requests).Target);
    }

    [Theory]
    [Trait("Spec", "METH-01")]
    [Trait("Spec", "SEC-13")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("PROPFIND")]
    [InlineData("post")]
    [InlineData("PoSt")]
    public async Task METH_01_methods_outside_the_entry_get_the_method_message_and_no_upstream_contact(string method)
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: GetOnly);

        var response = await harness.RawAsync($"{method} /pub/x HTTP/1.1\r\nHost: allowed.test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        if (method != "HEAD")
        {
            Assert.Contains($"Method {method} is not allowed for this URL", response, StringComparison.Ordinal);
        }

        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        Assert.Single(await harness.LogLinesAsync(1), $"BLOCKED {method} http://allowed.test/pub/x -> 403");
    }

    [Fact]
    [Trait("Spec", "METH-01")]
    [Trait("Spec", "AL-18")]
    public async Task METH_01_lower_case_get_is_allowed_and_forwarded_with_the_standard_spelling()
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: GetOnly);

        var response = await harness.RawAsync("get /pub/x HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        // The upstream HTTP stack writes known methods in their standard upper-case spelling; same method, so the
        // decision (case-insensitive, AL-18) and the upstream's view agree.
        Assert.Equal("GET", Assert.Single(harness.Allowed.Requests).Method);
    }

    [Theory]
    [Trait("Spec", "METH-01")]
    [InlineData("GET\0")]
    [InlineData("G\"ET")]
    [InlineData("G(ET")]
    public async Task METH_01_invalid_method_tokens_are_refused(string method)
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: GetOnly);

        var response = await harness.RawAsync($"{method} /pub/x HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n");

        Assert.Matches("^HTTP/1.1 40[03]", response);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Fact]
    [Trait("Spec", "METH-01")]
    [Trait("Spec", "RES-06")]
    public async Task METH_01_a_ten_kilobyte_method_is_refused_and_the_proxy_survives()
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: GetOnly);

        var response = await harness.RawAsync($"{new string('G', 10 * 1024)} /pub/x HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n");

        Assert.Matches("^HTTP/1.1 4\\d\\d", response);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
        await harness.AssertStillServesAsync();
    }

    [Theory]
    [Trait("Spec", "METH-02")]
    [InlineData("X-HTTP-Method-Override: DELETE", "/pub/item/1")]
    [InlineData("X-HTTP-Method: PUT", "/pub/item/1")]
    [InlineData("X-Method-Override: PATCH", "/pub/item/1")]
    [InlineData("X-Trace: 1", "/pub/item/1?_method=DELETE")]
    public async Task METH_02_method_override_carriers_on_a_method_restricted_entry_are_refused(string header, string path)
    {
        await using var harness = await ProxyHarness.StartAsync(allowlist: GetOnly);

        var response = await harness.RawAsync($"GET {path} HTTP/1.1\r\nHost: allowed.test\r\n{header}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Theory]
    [Trait("Spec", "METH-03")]
    [InlineData("TRACE")]
    [InlineData("TRACK")]
    [InlineData("DEBUG")]
    public async Task METH_03_trace_like_methods_are_refused_on_every_host_so_no_real_credential_is_echoed(string method)
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);

        var result = await harness.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "-X", method, "https://scoped.test/", "-H", "Authorization: Bearer " + ProxyHarness.Surrogate);

        Assert.Equal("403", result.Stdout);
        Assert.Equal(0, harness.Scoped.ConnectionCount);
        Assert.DoesNotContain(ProxyHarness.Real, harness.LogText(), StringComparison.Ordinal);
    }

    private static ProxyAllowlist GetOnly { get; } = new()
    {
        UrlPrefixes = [new ProxyUrlPrefix { Host = "allowed.test", Path = "/pub/*", Methods = ["GET"] }],
    };
}
