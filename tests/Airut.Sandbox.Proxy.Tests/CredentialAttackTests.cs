using System.Net;
using System.Text;
using Airut.Sandbox.Testing;
using Airut.Sandbox.Testing.Recording;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>
/// attacks.md SMUG-03, CRED-01/02/04/06/07/08/09 through the real masker: the real value goes only to the scoped
/// recorder, only in the configured header, only over verified TLS (G4). Assertions never print the real value.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class CredentialAttackTests
{
    private const string Bearer = "Bearer " + ProxyHarness.Surrogate;

    [Fact]
    [Trait("Spec", "MS-12")]
    public async Task MS_12_surrogate_in_the_scoped_header_reaches_the_scoped_host_as_the_real_value()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);

        var response = await harness.RawAsync(Get("scoped.test", "/x", $"Authorization: {Bearer}"), tls: true, sni: "scoped.test");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.True(Assert.Single(harness.Scoped.Requests).HeaderValues("Authorization").SequenceEqual(["Bearer " + ProxyHarness.Real]));
        Assert.Equal(["ALLOWED GET https://scoped.test/x -> 200 [masked: 1]"], await harness.LogLinesAsync(1));
        AssertRealOnlyInScopedAuthorization(harness, response);
    }

    [Theory]
    [Trait("Spec", "SMUG-03")]
    [Trait("Spec", "SEC-20")]
    [InlineData("a", new[] { Bearer, "Bearer ATTACKER" })]
    [InlineData("b", new[] { "Bearer ATTACKER", Bearer })]
    [InlineData("d", new[] { Bearer, "Bearer ATTACKER", "Bearer ATTACKER2" })]
    public async Task SMUG_03_duplicate_authorization_headers_collapse_to_the_one_real_value(string variant, string[] values)
    {
        Assert.NotNull(variant);
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);

        var headers = string.Join("\r\n", values.Select((v, i) => (i % 2 == 0 ? "Authorization: " : "authorization: ") + v));
        var response = await harness.RawAsync(Get("scoped.test", "/x", headers), tls: true, sni: "scoped.test");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var received = Assert.Single(harness.Scoped.Requests).HeaderValues("Authorization");
        Assert.True(received.SequenceEqual(["Bearer " + ProxyHarness.Real]));
        Assert.DoesNotContain("ATTACKER", harness.Scoped.AllText(), StringComparison.Ordinal);
        var lines = await harness.LogLinesAsync(2);
        Assert.Equal($"COLLAPSED {values.Length - 1} duplicate 'authorization' headers in GET https://scoped.test/x (duplicate credential headers removed)", lines[0]);
        Assert.Equal("ALLOWED GET https://scoped.test/x -> 200 [masked: 1]", lines[1]);
        AssertRealOnlyInScopedAuthorization(harness, response);
    }

    [Fact]
    [Trait("Spec", "SMUG-03")]
    [Trait("Spec", "CRED-04")]
    public async Task SMUG_03_duplicates_without_the_surrogate_are_all_stripped()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);

        var response = await harness.RawAsync(Get("scoped.test", "/x", "Authorization: Bearer A1\r\nAuthorization: Bearer A2"), tls: true, sni: "scoped.test");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.False(Assert.Single(harness.Scoped.Requests).HasHeader("Authorization"));
        var lines = await harness.LogLinesAsync(2);
        Assert.Equal("STRIPPED header 'authorization' from GET https://scoped.test/x (foreign credential blocked)", lines[0]);
        Assert.Equal("ALLOWED GET https://scoped.test/x -> 200 [dropped: 1]", lines[1]);
        Assert.Contains("STRIPPED header 'authorization'", harness.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Spec", "CRED-04")]
    [InlineData("Bearer ATTACKER_KEY")]
    [InlineData("token ATTACKER_PAT")]
    [InlineData("Basic eDpBVFRBQ0tFUl9QQVQ=")]
    public async Task CRED_04_a_foreign_credential_on_a_scoped_host_is_stripped(string value)
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);
        using var client = harness.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://scoped.test/repo");
        request.Headers.TryAddWithoutValidation("Authorization", value);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(Assert.Single(harness.Scoped.Requests).HasHeader("Authorization"));
        Assert.Equal(
            ["STRIPPED header 'authorization' from GET https://scoped.test/repo (foreign credential blocked)", "ALLOWED GET https://scoped.test/repo -> 200 [dropped: 1]"],
            await harness.LogLinesAsync(2));
    }

    [Fact]
    [Trait("Spec", "CRED-04")]
    public async Task CRED_04_allow_foreign_credentials_lets_the_foreign_header_pass()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok(allowForeign: true)]);
        using var client = harness.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://scoped.test/repo");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ATTACKER_KEY");

        using var response = await client.SendAsync(request);

        Assert.Equal(["Bearer ATTACKER_KEY"], Assert.Single(harness.Scoped.Requests).HeaderValues("Authorization"));
        Assert.Equal(["ALLOWED GET https://scoped.test/repo -> 200"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "CRED-01")]
    public async Task CRED_01_surrogate_to_an_allowlisted_host_outside_its_scope_is_forwarded_unchanged()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);
        using var client = harness.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://open.test/x?t={ProxyHarness.Surrogate}")
        {
            Content = new StringContent($"{{\"t\":\"{ProxyHarness.Surrogate}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", Bearer);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(harness.Open.Requests);
        Assert.Equal([Bearer], received.HeaderValues("Authorization"));
        Assert.Contains(ProxyHarness.Surrogate, received.Target, StringComparison.Ordinal);
        Assert.Contains(ProxyHarness.Surrogate, Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.Open.AllText(), StringComparison.Ordinal);
        Assert.Equal([$"ALLOWED POST https://open.test/x?t={ProxyHarness.Surrogate} -> 200"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "CRED-02")]
    [Trait("Spec", "MS-29")]
    public async Task CRED_02_surrogate_outside_the_configured_header_is_never_replaced()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);
        var s = ProxyHarness.Surrogate;
        var body = $"{{\"t\":\"{s}\"}}";
        var chunked = $"{s.Length / 2:x}\r\n{s[..(s.Length / 2)]}\r\n{s.Length - (s.Length / 2):x}\r\n{s[(s.Length / 2)..]}\r\n0\r\n\r\n";

        await harness.RawAsync(
            $"POST /echo/{s}?key={s} HTTP/1.1\r\nHost: scoped.test\r\nX-Echo: {s}\r\nCookie: s={s}\r\nUser-Agent: {s}\r\n" +
            $"X-Token: {Convert.ToBase64String(Encoding.ASCII.GetBytes(s))}\r\nX-Upper: {s.ToUpperInvariant()}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}" +
            $"POST /chunked HTTP/1.1\r\nHost: scoped.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunked}",
            tls: true,
            sni: "scoped.test");

        Assert.Equal(2, harness.Scoped.Requests.Count);
        Assert.DoesNotContain(ProxyHarness.Real, harness.Scoped.AllText(), StringComparison.Ordinal);
        var first = harness.Scoped.Requests[0];
        Assert.Equal([s], first.HeaderValues("X-Echo"));
        Assert.Equal($"/echo/{s}?key={s}", first.Target);
        Assert.Equal(s, Encoding.ASCII.GetString(harness.Scoped.Requests[1].Body));
    }

    [Fact]
    [Trait("Spec", "CRED-06")]
    public async Task CRED_06_proxy_authorization_never_goes_upstream_and_other_carriers_pass_unchanged()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);

        await harness.RawAsync(
            Get("scoped.test", "/x?access_token=ATTACKER", $"Proxy-Authorization: {Bearer}\r\nX-Api-Key: ATTACKER\r\nX_Api_Key: ATTACKER\r\nCookie: session=ATTACKER"),
            tls: true,
            sni: "scoped.test");

        var received = Assert.Single(harness.Scoped.Requests);
        Assert.False(received.HasHeader("Proxy-Authorization"));
        Assert.DoesNotContain(ProxyHarness.Surrogate, harness.Scoped.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.Scoped.AllText(), StringComparison.Ordinal);

        // RESIDUAL (config responsibility): carriers the masked secret is not configured for pass unchanged.
        Assert.Equal(["ATTACKER"], received.HeaderValues("X-Api-Key"));
        Assert.Equal(["session=ATTACKER"], received.HeaderValues("Cookie"));
    }

    [Fact]
    [Trait("Spec", "CRED-07")]
    public async Task CRED_07_no_real_credential_is_injected_onto_a_plaintext_upstream()
    {
        await using var harness = await ProxyHarness.StartAsync(maskedSecrets: [ProxyHarness.Tok()]);

        var response = await harness.RawAsync(Get("scoped.test", "/x", $"Authorization: {Bearer}"));

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var received = Assert.Single(harness.Scoped.Requests);
        Assert.False(received.Tls);
        Assert.Equal([Bearer], received.HeaderValues("Authorization"));
        Assert.DoesNotContain(ProxyHarness.Real, harness.Scoped.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "CRED-08")]
    public async Task CRED_08_residual_an_upstream_echo_returns_the_real_value_to_the_client()
    {
        // Pinned RESIDUAL: responses are relayed unmodified (no response scrubbing), so an in-scope upstream that
        // echoes request headers hands the real value back. Only configure scopes for hosts that do not echo.
        await using var harness = await ProxyHarness.StartAsync(
            maskedSecrets: [ProxyHarness.Tok()],
            respond: (_, request) => new RecorderResponse(200, string.Join("\n", request.HeaderValues("Authorization"))));

        var response = await harness.RawAsync(Get("scoped.test", "/echo", $"Authorization: {Bearer}"), tls: true, sni: "scoped.test");

        Assert.True(response.Contains(ProxyHarness.Real, StringComparison.Ordinal), "the echo carries the real value (residual)");
        Assert.DoesNotContain(ProxyHarness.Real, harness.LogText(), StringComparison.Ordinal);
    }

    public static TheoryData<string> BadUpstreamCertificates => ["self-signed", "other name", "expired", "untrusted CA"];

    [Theory]
    [Trait("Spec", "CRED-09")]
    [Trait("Spec", "PX-18")]
    [MemberData(nameof(BadUpstreamCertificates))]
    public async Task CRED_09_an_unverifiable_upstream_gets_no_application_bytes_and_the_client_gets_502(string kind)
    {
        using var otherCa = TestCertificates.CreateAuthority("not trusted by the proxy");
        await using var harness = await ProxyHarness.StartAsync(
            maskedSecrets: [ProxyHarness.Tok()],
            upstreamCertificate: (name, ca) => name != "scoped.test" ? TestCertificates.IssueServer(ca, name) : kind switch
            {
                "self-signed" => TestCertificates.SelfSignedServer(name),
                "other name" => TestCertificates.IssueServer(ca, "other.test"),
                "expired" => TestCertificates.IssueServer(ca, name, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1)),
                _ => TestCertificates.IssueServer(otherCa, name),
            });

        var response = await harness.RawAsync(Get("scoped.test", "/x", $"Authorization: {Bearer}"), tls: true, sni: "scoped.test");

        Assert.StartsWith("HTTP/1.1 502", response, StringComparison.Ordinal);
        Assert.Empty(harness.Scoped.AllBytes());
        Assert.Empty(harness.Scoped.Requests);
        Assert.Equal(["ERROR GET https://scoped.test/x -> upstream TLS handshake or certificate verification failed"], await harness.LogLinesAsync(1));
        await harness.AssertStillServesAsync();
    }

    internal static string Get(string host, string path, string headers) =>
        $"GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\nConnection: close\r\n\r\n";

    /// <summary>G4: the real value is in no recorder but the scoped one, there only in Authorization, and in no log.</summary>
    private static void AssertRealOnlyInScopedAuthorization(ProxyHarness harness, string clientReceived)
    {
        foreach (var recorder in harness.Recorders.Where(r => r != harness.Scoped))
        {
            Assert.DoesNotContain(ProxyHarness.Real, recorder.AllText(), StringComparison.Ordinal);
        }

        foreach (var request in harness.Scoped.Requests)
        {
            Assert.DoesNotContain(ProxyHarness.Real, request.Target, StringComparison.Ordinal);
            Assert.DoesNotContain(ProxyHarness.Real, Encoding.Latin1.GetString(request.Body), StringComparison.Ordinal);
            Assert.All(request.Headers.Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)),
                h => Assert.DoesNotContain(ProxyHarness.Real, h.Value, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(ProxyHarness.Real, clientReceived, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.LogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.Stdout, StringComparison.Ordinal);
    }
}
