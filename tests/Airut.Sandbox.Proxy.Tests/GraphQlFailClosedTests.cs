using System.Net;
using System.Text;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>
/// The GraphQL operation filter (OPT-5) is not built yet. An allowlist entry with a <c>graphql</c> block asks for it,
/// so the proxy refuses what such an entry admits rather than forwarding it unfiltered (GH-01, fail closed).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class GraphQlFailClosedTests
{
    [Fact]
    [Trait("Spec", "GH-01")]
    [Trait("Spec", "AL-8")]
    public async Task GH_01_a_request_admitted_by_an_entry_with_a_graphql_block_is_refused_and_never_reaches_upstream()
    {
        var allowlist = new ProxyAllowlist
        {
            UrlPrefixes =
            [
                new ProxyUrlPrefix
                {
                    Host = "allowed.test",
                    Path = "/graphql",
                    Methods = ["POST"],
                    GraphQl = new ProxyGraphQlRules { Queries = ["*"] },
                },
                new ProxyUrlPrefix { Host = "allowed.test", Path = "/pub/*" },
            ],
        };
        await using var harness = await ProxyHarness.StartAsync(allowlist);
        using var client = harness.CreateClient();

        using var body = new StringContent("{\"query\":\"mutation{createIssue(input:{repositoryId:\\\"R_other\\\"}){issue{id}}}\"}", Encoding.UTF8, "application/json");
        using var refused = await client.PostAsync(new Uri("https://allowed.test/graphql"), body);
        using var plain = await client.GetAsync(new Uri("https://allowed.test/pub/ok"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("\"error\":\"graphql_operation_blocked\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("/pub/ok", Assert.Single(harness.Allowed.Requests).Target);
        Assert.Equal(
            ["BLOCKED POST https://allowed.test/graphql -> 403", "ALLOWED GET https://allowed.test/pub/ok -> 200"],
            await harness.LogLinesAsync(2));
    }
}
