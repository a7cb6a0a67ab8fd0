using System.Text;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Proxy.BodyFilters;
using Airut.Sandbox.Proxy.BodyFilters.GraphQl;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests.BodyFilters;

/// <summary>The GraphQL operation filter (OPT-5) on bodies, without the proxy.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "OPT-5")]
public sealed class GraphQlOperationFilterTests
{
    private static readonly GraphQlRules Rules = new(["viewer", "repository", "search*"], ["addComment"], []);

    private readonly GraphQlOperationFilter _filter = new();

    [Theory]
    [InlineData("{\"query\":\"query { viewer { login } }\"}", "query/viewer")]
    [InlineData("{\"query\":\"{ viewer { login } repository(owner: \\\"o\\\", name: \\\"r\\\") { id } }\"}", "query/viewer")]
    [InlineData("{\"query\":\"query { searchIssues: search(query: \\\"x\\\", type: ISSUE) { issueCount } }\"}", "query/search")]
    [InlineData("{\"query\":\"mutation { addComment(input: {subjectId: \\\"I_1\\\", body: \\\"hi\\\"}) { clientMutationId } }\"}", "mutation/addComment")]
    [InlineData("{\"query\":\"query A { viewer { id } } mutation B { addComment(input: {}) { clientMutationId } }\",\"operationName\":\"B\"}", "mutation/addComment")]
    [InlineData("{\"query\":\"query A { viewer { id } }\",\"operationName\":\"A\",\"variables\":{\"x\":[1,{\"y\":null}]}}", "query/viewer")]
    [InlineData("{\"query\":\"query { ... on Query { viewer { id } ... on Query { repository(owner: \\\"o\\\", name: \\\"r\\\") { id } } } }\"}", "query/viewer")]
    [InlineData("{\"query\":\"query A { viewer { id } }\",\"operationName\":null}", "query/viewer")]
    public void OPT_5_operations_whose_root_fields_all_match_pass_with_their_tag(string body, string tag)
    {
        var result = Apply(body);

        Assert.Equal(BodyFilterAction.Pass, result.Action);
        Assert.Equal(tag, result.Tag);
    }

    [Theory]
    [InlineData("{\"query\":\"mutation { createIssue(input: {repositoryId: \\\"R_other\\\"}) { issue { id } } }\"}", "createIssue", "mutation/createIssue")]
    [InlineData("{\"query\":\"mutation { viewer: createIssue(input: {}) { issue { id } } }\"}", "createIssue", "mutation/createIssue")]
    [InlineData("{\"query\":\"query { viewer { id } organization(login: \\\"o\\\") { id } }\"}", "organization", "query/organization")]
    [InlineData("{\"query\":\"query { Viewer { id } }\"}", "Viewer", "query/Viewer")]
    [InlineData("{\"query\":\"subscription { viewer { id } }\"}", "subscription:<blocked>", "subscription/viewer")]
    [InlineData("{\"query\":\"query { ... on Query { ... on Query { ... on Query { viewer { id } } } } }\"}", "<fragment-spread>", "<fragment-spread>")]
    [InlineData("{\"query\":\"query { ...F } fragment F on Query { viewer { id } }\"}", "<fragment-spread>", "<fragment-spread>")]
    [InlineData("{\"query\":\"query { ... on Query { ...F } } fragment F on Query { viewer { id } }\"}", "<fragment-spread>", "<fragment-spread>")]
    [InlineData("[{\"query\":\"query { viewer { id } }\"}]", "<batched>", "<batched>")]
    [InlineData("{\"query\":\"query { viewer { login } }\",\"query\":\"mutation { createIssue(input: {}) { issue { id } } }\"}", "<unparseable>", "<unparseable>")]
    [InlineData("{\"query\":\"query { viewer { login } }\",\"variables\":{\"a\":1,\"a\":2}}", "<unparseable>", "<unparseable>")]
    [InlineData("{\"qu\\u0065ry\":\"query { viewer { login } }\",\"query\":\"mutation { createIssue(input: {}) { issue { id } } }\"}", "<unparseable>", "<unparseable>")]
    [InlineData("{\"query\":\"query { viewer { login }\"}", "<unparseable>", "<unparseable>")]
    [InlineData("{\"query\":42}", "<unparseable>", "<unparseable>")]
    [InlineData("{\"query\":\"fragment F on Query { viewer { id } }\"}", "<unparseable>", "<unparseable>")]
    [InlineData("\"query { viewer { id } }\"", "<unparseable>", "<unparseable>")]
    [InlineData("", "<unparseable>", "<unparseable>")]
    [InlineData("{\"query\":\"query { viewer { id } }\" /* c */}", "<unparseable>", "<unparseable>")]
    [InlineData("{\"query\":\"query A { viewer { id } } query B { viewer { id } }\"}", "<operation-name-invalid>", "<operation-name-invalid>")]
    [InlineData("{\"query\":\"query A { viewer { id } } query A { viewer { id } }\",\"operationName\":\"A\"}", "<operation-name-invalid>", "<operation-name-invalid>")]
    [InlineData("{\"query\":\"query A { viewer { id } }\",\"operationName\":\"B\"}", "<operation-name-invalid>", "<operation-name-invalid>")]
    [InlineData("{\"query\":\"query A { viewer { id } }\",\"operationName\":1}", "<operation-name-invalid>", "<operation-name-invalid>")]
    public void GH_01_refused_shapes_give_graphql_operation_blocked_with_a_detail(string body, string detail, string tag)
    {
        var result = Apply(body);

        Assert.Equal(BodyFilterAction.Block, result.Action);
        Assert.Equal(GraphQlOperationFilter.BlockedError, result.Error);
        Assert.Equal(detail, result.Detail);
        Assert.Equal(tag, result.Tag);
    }

    [Theory]
    [InlineData("/graphql?query=query%7Bviewer%7Bid%7D%7D", "/graphql?query=query{viewer{id}}")]
    [InlineData("/%67raphql?x=1", "/graphql?x=1")]
    [InlineData("/graphql%3Fx=1", "/graphql?x=1")]
    [InlineData("/graphql?", "/graphql?")]
    public void GH_01_a_query_string_on_the_graphql_path_is_refused_whatever_the_body(string raw, string decoded)
    {
        var result = _filter.Apply(Request(raw, decoded), Encoding.UTF8.GetBytes("{\"query\":\"{ viewer { id } }\"}"));

        Assert.Equal(BodyFilterAction.Block, result.Action);
        Assert.Equal("<query-params>", result.Detail);
    }

    [Fact]
    public void OPT_5_an_empty_graphql_block_refuses_every_operation_type()
    {
        var request = Request("/graphql", "/graphql") with { MatchedRule = new UrlPrefixRule("api.test", "/graphql", [], new GraphQlRules([], [], [])) };

        var result = _filter.Apply(request, Encoding.UTF8.GetBytes("{\"query\":\"{ viewer { id } }\"}"));

        Assert.Equal("query:<blocked>", result.Detail);
    }

    [Fact]
    public void OPT_5_a_body_over_one_mebibyte_is_refused_before_it_is_parsed()
    {
        var body = new byte[GraphQlOperationFilter.MaxBody + 1];

        var result = _filter.Apply(Request("/graphql", "/graphql"), body);

        Assert.Equal("<too-large>", result.Detail);
    }

    [Fact]
    public void OPT_5_a_deeply_nested_json_body_is_refused_as_unparseable()
    {
        var body = "{\"query\":\"{ viewer { id } }\",\"variables\":" + new string('[', 10_000) + new string(']', 10_000) + "}";

        Assert.Equal("<unparseable>", Apply(body).Detail);
    }

    [Fact]
    public void SEC_15_the_filter_applies_only_to_requests_admitted_by_an_entry_with_a_graphql_block()
    {
        Assert.True(_filter.AppliesTo(Request("/graphql", "/graphql")));
        Assert.False(_filter.AppliesTo(Request("/graphql", "/graphql") with { MatchedRule = null }));
        Assert.False(_filter.AppliesTo(Request("/graphql", "/graphql") with { MatchedRule = new UrlPrefixRule("api.test", "/graphql", [], null) }));
    }

    [Fact]
    public void OPT_5_refusal_body_names_the_field_and_the_allowlist_file()
    {
        var result = Apply("{\"query\":\"mutation { deleteRepository(input: {}) { clientMutationId } }\"}");
        var json = JsonDocument.Parse(new Abstractions.Egress.BlockResponse(result.Error!, result.Message!, result.Detail).ToJson()).RootElement;

        Assert.Equal("graphql_operation_blocked", json.GetProperty("error").GetString());
        Assert.Contains("deleteRepository", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(".airut/network-allowlist.yaml", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("deleteRepository", json.GetProperty("detail").GetString());
    }

    private BodyFilterResult Apply(string body) => _filter.Apply(Request("/graphql", "/graphql"), Encoding.UTF8.GetBytes(body));

    private static BodyFilterRequest Request(string raw, string decoded) =>
        new("api.test", raw, decoded, new UrlPrefixRule("api.test", "/graphql", ["POST"], Rules));
}
