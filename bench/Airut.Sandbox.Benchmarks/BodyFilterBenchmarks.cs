using System.Text;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Proxy.BodyFilters;
using Airut.Sandbox.Proxy.BodyFilters.Anthropic;
using Airut.Sandbox.Proxy.BodyFilters.GraphQl;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Airut.Sandbox.Benchmarks;

/// <summary>
/// The request-body filters (OPT-5, OPT-7) on typical bodies, each against <c>JsonDocument.Parse</c> of the same bytes
/// (the least any JSON-inspecting filter must do). GraphQL: a 1.3 KB GitHub query with variables and fragments.
/// Anthropic: a 64 KB Messages body (a conversation of 40 turns, three client tools) without a server-side tool
/// (passes after one read-only pass) and with a <c>web_fetch</c> tool whose domains get trimmed (a rewrite).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BodyFilterBenchmarks
{
    private static readonly BodyFilterRequest GraphQlRequest = new(
        "api.github.com", "/graphql", "/graphql",
        new UrlPrefixRule("api.github.com", "/graphql", ["POST"], new GraphQlRules(["repository", "viewer", "search*"], ["addComment"], [])));

    private static readonly BodyFilterRequest MessagesRequest = new("api.anthropic.com", "/v1/messages", "/v1/messages", null);

    private readonly GraphQlOperationFilter _graphQl = new();
    private readonly AnthropicToolDomainFilter _anthropic = new(new GetOpenHosts(new Allowlist(["docs.python.org", "*.github.com"], [])));
    private byte[] _graphQlBody = [];
    private byte[] _messagesBody = [];
    private byte[] _messagesWithFetchBody = [];

    [GlobalSetup]
    public void Setup()
    {
        const string Query = """
            query PullRequestPage($owner: String!, $name: String!, $number: Int!, $after: String) {
              repository(owner: $owner, name: $name) {
                pullRequest(number: $number) {
                  ...PrFields
                  comments(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { author { login } body createdAt } }
                  reviews(last: 20) { nodes { state author { login } submittedAt body } }
                  files(first: 100) { nodes { path additions deletions } }
                }
              }
              viewer { login }
            }
            fragment PrFields on PullRequest { id number title state isDraft mergeable headRefName baseRefName author { login } }
            """;
        _graphQlBody = JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = Query,
            operationName = "PullRequestPage",
            variables = new { owner = "airutorg", name = "airut", number = 412, after = (string?)null },
        });

        var turns = Enumerable.Range(0, 40).Select(i => new
        {
            role = i % 2 == 0 ? "user" : "assistant",
            content = new object[] { new { type = "text", text = $"Turn {i}: " + string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog, ", 30)) } },
        }).ToArray();
        var clientTools = Enumerable.Range(0, 3).Select(i => (object)new
        {
            name = $"tool_{i}",
            description = "Reads a file from the workspace and returns its content.",
            input_schema = new { type = "object", properties = new { path = new { type = "string" }, limit = new { type = "integer" } }, required = new[] { "path" } },
        }).ToList();
        _messagesBody = JsonSerializer.SerializeToUtf8Bytes(new { model = "claude-sonnet-4-5", max_tokens = 4096, tools = clientTools, messages = turns });
        var withFetch = clientTools.Append(new { type = "web_fetch_20250910", name = "web_fetch", allowed_domains = new[] { "docs.python.org", "evil.test", "api.github.com" } }).ToList();
        _messagesWithFetchBody = JsonSerializer.SerializeToUtf8Bytes(new { model = "claude-sonnet-4-5", max_tokens = 4096, tools = withFetch, messages = turns });

        // Sanity: the cases do what their names say.
        Expect(_graphQl.Apply(GraphQlRequest, _graphQlBody), BodyFilterAction.Pass);
        Expect(_anthropic.Apply(MessagesRequest, _messagesBody), BodyFilterAction.Pass);
        Expect(_anthropic.Apply(MessagesRequest, _messagesWithFetchBody), BodyFilterAction.Rewrite);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("GraphQL 1.3 KB")]
    public int GraphQlJsonDocumentParse() => Parse(_graphQlBody);

    [Benchmark]
    [BenchmarkCategory("GraphQL 1.3 KB")]
    public BodyFilterAction GraphQlOperationFilter() => _graphQl.Apply(GraphQlRequest, _graphQlBody).Action;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Messages 64 KB")]
    public int MessagesJsonDocumentParse() => Parse(_messagesBody);

    [Benchmark]
    [BenchmarkCategory("Messages 64 KB")]
    public BodyFilterAction MessagesWithoutServerTools() => _anthropic.Apply(MessagesRequest, _messagesBody).Action;

    [Benchmark]
    [BenchmarkCategory("Messages 64 KB")]
    public BodyFilterAction MessagesWithWebFetchTrimmed() => _anthropic.Apply(MessagesRequest, _messagesWithFetchBody).Action;

    private static int Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return (int)document.RootElement.ValueKind;
    }

    private static void Expect(BodyFilterResult result, BodyFilterAction action)
    {
        if (result.Action != action)
        {
            throw new InvalidOperationException($"benchmark body gave {result.Action}, expected {action}: {result.Detail}");
        }
    }
}
