using System.Net;
using System.Text;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Proxy.BodyFilters.GraphQl;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>
/// GH-01 through the real proxy: an entry <c>api.scoped.test /graphql</c> with <c>graphql: {queries: [viewer],
/// mutations: []}</c> and masked secret <c>TOK</c> scoped to <c>*.scoped.test</c>. Every hostile body ends in a 403
/// with no connection to the recorder (G1), one log line (G2), no real value anywhere (G4), and a proxy that still
/// serves (G6). The allowed query gets its real credential only after the check (credentials-cli.md MS-12).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class GraphQlOperationFilterProxyTests
{
    private const string Bearer = "Bearer " + ProxyHarness.Surrogate;
    private const string Url = "https://api.scoped.test/graphql";

    private static ProxyAllowlist GraphQlAllowlist(params string[] domains) => new()
    {
        Domains = domains,
        UrlPrefixes =
        [
            new ProxyUrlPrefix
            {
                Host = "api.scoped.test",
                Path = "/graphql",
                Methods = ["POST", "GET"],
                GraphQl = new ProxyGraphQlRules { Queries = ["viewer"], Mutations = [] },
            },
            new ProxyUrlPrefix { Host = "allowed.test", Path = "/pub/*" },
        ],
    };

    public static TheoryData<string, string, string, string?, string?, string, string?> HostileRequests() => new()
    {
        // variant, method, target, body, content-encoding, expected error, expected tag. A query string on /graphql is
        // already refused by the allowlist (PATH-06); the filter refuses it again when a wider entry admits it (below).
        { "createIssue in another repository", "POST", "/graphql", Body("mutation{createIssue(input:{repositoryId:\"R_other\",title:\"x\"}){issue{id}}}"), null, "graphql_operation_blocked", "mutation/createIssue" },
        { "createCommitOnBranch to other/repo", "POST", "/graphql", Body("mutation{createCommitOnBranch(input:{branch:{repositoryNameWithOwner:\"other/repo\",branchName:\"main\"},message:{headline:\"x\"},expectedHeadOid:\"0\"}){commit{oid}}}"), null, "graphql_operation_blocked", "mutation/createCommitOnBranch" },
        { "node id of another repository", "POST", "/graphql", Body("mutation{addComment(input:{subjectId:\"I_kwOTHERREPO\",body:\"x\"}){clientMutationId}}"), null, "graphql_operation_blocked", "mutation/addComment" },
        { "repository(owner: other)", "POST", "/graphql", Body("query{repository(owner:\"other\",name:\"x\"){id}}"), null, "graphql_operation_blocked", "query/repository" },
        { "aliased mutation", "POST", "/graphql", Body("mutation{viewer:createIssue(input:{repositoryId:\"R_other\",title:\"x\"}){issue{id}}}"), null, "graphql_operation_blocked", "mutation/createIssue" },
        { "aliased query", "POST", "/graphql", Body("query{viewer:repository(owner:\"other\",name:\"x\"){id}}"), null, "graphql_operation_blocked", "query/repository" },
        { "fragment spread at the root", "POST", "/graphql", Body("query{...F} fragment F on Query{repository(owner:\"other\",name:\"x\"){id}}"), null, "graphql_operation_blocked", "<fragment-spread>" },
        { "batched array", "POST", "/graphql", "[{\"query\":\"query{viewer{login}}\"},{\"query\":\"mutation{createIssue(input:{}){issue{id}}}\"}]", null, "graphql_operation_blocked", "<batched>" },
        { "duplicate json keys", "POST", "/graphql", "{\"query\":\"query{viewer{login}}\",\"query\":\"mutation{createIssue(input:{}){issue{id}}}\"}", null, "graphql_operation_blocked", "<unparseable>" },
        { "POST with ?query=", "POST", "/graphql?query=mutation%7BcreateIssue(input:%7B%7D)%7Bissue%7Bid%7D%7D%7D", Body("query{viewer{login}}"), null, "blocked_by_network_allowlist", null },
        { "GET with ?query=", "GET", "/graphql?query=query%7Bviewer%7Blogin%7D%7D", null, null, "blocked_by_network_allowlist", null },
        { "GET without a body", "GET", "/graphql", null, null, "graphql_operation_blocked", "<unparseable>" },
        { "Content-Encoding: rot13", "POST", "/graphql", Body("dhrel{ivrjre{ybtva}}"), "rot13", "filter_error", "<error: UnsupportedContentEncodingException>" },
        { "Content-Encoding: gzip", "POST", "/graphql", Body("query{viewer{login}}"), "gzip", "filter_error", "<error: UnsupportedContentEncodingException>" },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    [Trait("Spec", "GH-01")]
    [Trait("Spec", "G1")]
    [Trait("Spec", "G4")]
    public async Task GH_01_every_shape_trick_is_refused_before_any_upstream_contact_and_without_the_real_credential(
        string variant, string method, string target, string? body, string? contentEncoding, string error, string? tag)
    {
        Assert.NotNull(variant);
        await using var harness = await ProxyHarness.StartAsync(GraphQlAllowlist(), maskedSecrets: [ProxyHarness.Tok()]);
        using var client = harness.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.scoped.test" + target);
        request.Headers.TryAddWithoutValidation("Authorization", Bearer);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (contentEncoding is not null)
            {
                request.Content.Headers.ContentEncoding.Add(contentEncoding);
            }
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(error, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        Assert.Equal(0, harness.Scoped.ConnectionCount);
        Assert.Equal([$"BLOCKED {method} https://api.scoped.test{target} -> 403" + (tag is null ? string.Empty : $" [graphql-op: {tag}]")], await harness.LogLinesAsync(1));
        Assert.DoesNotContain(ProxyHarness.Real, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.LogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Real, harness.Stdout, StringComparison.Ordinal);
        await harness.AssertStillServesAsync();
    }

    [Theory]
    [Trait("Spec", "GH-01")]
    [Trait("Spec", "SEC-4")]
    [InlineData("/graphql?query=mutation%7BcreateIssue(input:%7B%7D)%7Bissue%7Bid%7D%7D%7D")]
    [InlineData("/%67raphql?x=1")]
    public async Task GH_01_a_query_string_admitted_by_a_wide_entry_is_refused_by_the_filter(string target)
    {
        var allowlist = new ProxyAllowlist
        {
            UrlPrefixes = [new ProxyUrlPrefix { Host = "api.scoped.test", Path = "/graph*", GraphQl = new ProxyGraphQlRules { Queries = ["viewer"] } }],
        };
        await using var harness = await ProxyHarness.StartAsync(allowlist, maskedSecrets: [ProxyHarness.Tok()]);

        // curl sends the target exactly as written (HttpClient would normalise %67 to g).
        var result = await harness.CurlAsync(
            "-w", "\n%{http_code}", "-H", "Content-Type: application/json", "-H", "Authorization: " + Bearer,
            "--data-binary", Body("{ viewer { login } }"), "https://api.scoped.test" + target);
        var lines = result.Stdout.Split('\n');

        Assert.Equal("403", lines[^1]);
        Assert.Equal("<query-params>", JsonDocument.Parse(lines[0]).RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, harness.Scoped.ConnectionCount);
        Assert.Equal([$"BLOCKED POST https://api.scoped.test{target} -> 403 [graphql-op: <query-params>]"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "OPT-5")]
    [Trait("Spec", "LOG-5")]
    [Trait("Spec", "MS-12")]
    public async Task OPT_5_an_allowed_query_is_forwarded_unchanged_with_the_real_credential_and_the_filter_tag_first()
    {
        await using var harness = await ProxyHarness.StartAsync(GraphQlAllowlist(), maskedSecrets: [ProxyHarness.Tok()]);
        using var client = harness.CreateClient();
        var body = Body("query Me { viewer { login } }");
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", Bearer);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(harness.Scoped.Requests);
        Assert.Equal(body, Encoding.UTF8.GetString(received.Body));
        Assert.True(received.HeaderValues("Authorization").SequenceEqual(["Bearer " + ProxyHarness.Real]));
        Assert.Equal(["ALLOWED POST https://api.scoped.test/graphql -> 200 [graphql-op: query/viewer] [masked: 1]"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "GH-01")]
    [Trait("Spec", "AL-8")]
    public async Task GH_01_a_mutation_is_refused_when_only_queries_are_listed()
    {
        var allowlist = new ProxyAllowlist
        {
            UrlPrefixes =
            [
                new ProxyUrlPrefix { Host = "allowed.test", Path = "/graphql", Methods = ["POST"], GraphQl = new ProxyGraphQlRules { Queries = ["*"] } },
                new ProxyUrlPrefix { Host = "allowed.test", Path = "/pub/*" },
            ],
        };
        await using var harness = await ProxyHarness.StartAsync(allowlist);
        using var client = harness.CreateClient();

        using var body = new StringContent(Body("mutation{createIssue(input:{repositoryId:\"R_other\"}){issue{id}}}"), Encoding.UTF8, "application/json");
        using var refused = await client.PostAsync(new Uri("https://allowed.test/graphql"), body);
        using var query = new StringContent(Body("{ anything { id } }"), Encoding.UTF8, "application/json");
        using var passed = await client.PostAsync(new Uri("https://allowed.test/graphql"), query);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["error", "message", "detail"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mutation:<blocked>", json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal("/graphql", Assert.Single(harness.Allowed.Requests).Target);
        Assert.Equal(
            ["BLOCKED POST https://allowed.test/graphql -> 403 [graphql-op: mutation/createIssue]", "ALLOWED POST https://allowed.test/graphql -> 200 [graphql-op: query/anything]"],
            await harness.LogLinesAsync(2));
    }

    [Theory]
    [Trait("Spec", "SEC-15")]
    [InlineData("domains hit")]
    [InlineData("earlier entry without graphql")]
    public async Task SEC_15_a_domains_hit_or_an_earlier_entry_without_graphql_turns_the_filter_off(string variant)
    {
        var allowlist = variant == "domains hit"
            ? GraphQlAllowlist("*.scoped.test")
            : GraphQlAllowlist() with { UrlPrefixes = [new ProxyUrlPrefix { Host = "api.scoped.test", Path = "/graphql" }, .. GraphQlAllowlist().UrlPrefixes] };
        await using var harness = await ProxyHarness.StartAsync(allowlist);
        using var client = harness.CreateClient();
        using var body = new StringContent(Body("mutation{createIssue(input:{}){issue{id}}}"), Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri(Url), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["ALLOWED POST https://api.scoped.test/graphql -> 200"], await harness.LogLinesAsync(1));
    }

    [Fact]
    [Trait("Spec", "G1")]
    [Trait("Spec", "OPT-6")]
    public async Task G1_a_refused_body_sent_with_expect_100_continue_never_reaches_upstream()
    {
        await using var harness = await ProxyHarness.StartAsync(GraphQlAllowlist(), maskedSecrets: [ProxyHarness.Tok()]);
        var file = Path.Combine(Path.GetTempPath(), $"airut-graphql-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, Body("mutation{createIssue(input:{}){issue{id}}}"));
        try
        {
            var result = await harness.CurlAsync(
                "-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: 100-continue", "-H", "Content-Type: application/json",
                "-H", "Authorization: " + Bearer, "--data-binary", "@" + file, Url);

            Assert.Equal("403", result.Stdout);
            Assert.All(harness.Recorders, r => Assert.Equal(0, r.ConnectionCount));
            Assert.Equal(["BLOCKED POST https://api.scoped.test/graphql -> 403 [graphql-op: mutation/createIssue]"], await harness.LogLinesAsync(1));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    [Trait("Spec", "OPT-5")]
    [Trait("Spec", "OPT-6")]
    public async Task OPT_6_a_chunked_body_over_the_one_mebibyte_cap_is_refused_without_upstream_contact()
    {
        await using var harness = await ProxyHarness.StartAsync(GraphQlAllowlist());
        using var client = harness.CreateClient();
        var padding = new string(' ', GraphQlOperationFilter.MaxBody);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Body("{ viewer { login } }") + padding)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("<too-large>", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, harness.Scoped.ConnectionCount);
        await harness.AssertStillServesAsync();
    }

    [Theory]
    [Trait("Spec", "SEC-04")]
    [Trait("Spec", "MS-12")]
    [Trait("Spec", "GH-01")]
    [InlineData("query{viewer{login}}", true)]
    [InlineData("mutation{createIssue(input:{}){issue{id}}}", false)]
    public async Task MS_12_aws_re_signing_of_a_graphql_entry_happens_only_after_the_operation_check(string query, bool allowed)
    {
        const string SurrogateKeyId = "AKIASURROGATE0000001";
        const string RealKeyId = "AKIAREALKEYID0000001";
        var credential = new ProxySigningCredential
        {
            Label = "AWS",
            SurrogateAccessKeyId = SurrogateKeyId,
            SurrogateSecretAccessKey = "surrogateSecretKey000000000000000000000x",
            AccessKeyId = RealKeyId,
            SecretAccessKey = "realSecretAccessKey00000000000000000000xx",
            Scopes = ["*.scoped.test"],
        };
        await using var harness = await ProxyHarness.StartAsync(GraphQlAllowlist(), signingCredentials: [credential]);
        var body = Body(query);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)));

        var response = await harness.RawAsync(
            $"POST /graphql HTTP/1.1\r\nHost: api.scoped.test\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n" +
            $"X-Amz-Date: 20260101T000000Z\r\nX-Amz-Content-Sha256: {hash}\r\n" +
            $"Authorization: AWS4-HMAC-SHA256 Credential={SurrogateKeyId}/20260101/us-east-1/appsync/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=" + new string('0', 64) + "\r\nConnection: close\r\n\r\n" + body,
            tls: true,
            sni: "api.scoped.test");

        if (allowed)
        {
            Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
            var received = Assert.Single(harness.Scoped.Requests);
            Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={RealKeyId}/20260101/us-east-1/appsync/aws4_request", Assert.Single(received.HeaderValues("Authorization")), StringComparison.Ordinal);
            Assert.Equal(body, Encoding.UTF8.GetString(received.Body));
            Assert.Equal(["ALLOWED POST https://api.scoped.test/graphql -> 200 [graphql-op: query/viewer] [masked: 1] [region: us-east-1]"], await harness.LogLinesAsync(1));
        }
        else
        {
            Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
            Assert.Equal(0, harness.Scoped.ConnectionCount);
            Assert.Equal(["BLOCKED POST https://api.scoped.test/graphql -> 403 [graphql-op: mutation/createIssue]"], await harness.LogLinesAsync(1));
        }

        Assert.DoesNotContain(RealKeyId, response, StringComparison.Ordinal);
        Assert.DoesNotContain(RealKeyId, harness.LogText(), StringComparison.Ordinal);
    }

    private static string Body(string query) => JsonSerializer.Serialize(new { query });
}
