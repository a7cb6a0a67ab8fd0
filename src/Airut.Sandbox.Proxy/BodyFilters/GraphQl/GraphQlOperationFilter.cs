using System.Collections.Concurrent;
using System.Text.Json;
using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>
/// The GraphQL operation allowlist (OPT-5). It applies only when the entry that admitted the request has a
/// <c>graphql</c> block (SEC-15). The body must be one JSON object of at most 1 MiB without duplicate keys whose
/// <c>query</c> parses as an executable document; the executed operation is the only one, or the one
/// <c>operationName</c> names exactly. Its top-level fields (field names, not aliases; inline fragments flattened
/// two levels; a named fragment spread there is refused) must each match a case-sensitive glob of the list for its
/// operation type, and an empty list refuses the type. A query string on the request refuses it too: parameters
/// there could carry a second operation the body check never saw (GH-01). Tag: <c>[graphql-op: type/field]</c>.
/// </summary>
public sealed class GraphQlOperationFilter : IRequestBodyFilter
{
    /// <summary>The error code of every refusal.</summary>
    public const string BlockedError = "graphql_operation_blocked";

    /// <summary>1 MiB: the largest body parsed (OPT-5).</summary>
    public const int MaxBody = 1024 * 1024;

    private const int MaxJsonDepth = 64;

    private static readonly JsonDocumentOptions JsonOptions = StrictJson.Options(MaxJsonDepth);

    // Patterns come from the allowlist, never from the request, so this cache is bounded by the configuration.
    private readonly ConcurrentDictionary<string, GlobPattern> _globs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "graphql-op";

    /// <inheritdoc />
    public int MaxBodyBytes => MaxBody;

    /// <inheritdoc />
    public bool AppliesTo(BodyFilterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.MatchedRule?.GraphQl is not null;
    }

    /// <inheritdoc />
    public BodyFilterResult Apply(BodyFilterRequest request, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rules = request.MatchedRule?.GraphQl ?? throw new InvalidOperationException("The filter ran for an entry without a graphql block.");
        if (request.RawPathAndQuery.Contains('?', StringComparison.Ordinal) || request.DecodedPathAndQuery.Contains('?', StringComparison.Ordinal))
        {
            return Refuse("<query-params>", null);
        }

        if (body.Length > MaxBody)
        {
            return Refuse("<too-large>", null);
        }

        var selected = SelectOperation(body, out var refusal);
        if (selected is null)
        {
            return Refuse(refusal!, null);
        }

        var fields = new List<string>();
        if (!CollectRootFields(selected.Selections, 0, fields) || fields.Count == 0)
        {
            return Refuse("<fragment-spread>", null);
        }

        var type = TypeName(selected.Type);
        var patterns = selected.Type switch
        {
            GraphQlOperationType.Query => rules.Queries,
            GraphQlOperationType.Mutation => rules.Mutations,
            _ => rules.Subscriptions,
        };
        if (patterns.Count == 0)
        {
            return Refuse($"{type}:<blocked>", $"{type}/{fields[0]}");
        }

        var globs = patterns.Select(p => _globs.GetOrAdd(p, static text => new GlobPattern(text))).ToArray();
        foreach (var field in fields)
        {
            if (!globs.Any(g => g.IsMatch(field)))
            {
                return Refuse(field, $"{type}/{field}");
            }
        }

        return BodyFilterResult.Passed($"{type}/{fields[0]}");
    }

    /// <summary>The operation the server would execute, or null with the reason in <paramref name="refusal"/>.</summary>
    private static GraphQlOperation? SelectOperation(ReadOnlyMemory<byte> body, out string? refusal)
    {
        string query;
        JsonElement operationName;
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                refusal = "<batched>";
                return null;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("query", out var queryElement) || queryElement.ValueKind != JsonValueKind.String)
            {
                refusal = "<unparseable>";
                return null;
            }

            query = queryElement.GetString()!;
            operationName = root.TryGetProperty("operationName", out var name) ? name.Clone() : default;
        }
        catch (JsonException)
        {
            refusal = "<unparseable>";
            return null;
        }

        GraphQlDocument parsed;
        try
        {
            parsed = GraphQlParser.Parse(query);
        }
        catch (GraphQlSyntaxException)
        {
            refusal = "<unparseable>";
            return null;
        }

        refusal = "<operation-name-invalid>";
        if (parsed.Operations.Count == 0)
        {
            refusal = "<unparseable>";
            return null;
        }

        // operationName may be absent or null only when there is one operation; when present it must name exactly
        // one operation (a mismatch with a single operation is refused too: the server would not run that one).
        switch (operationName.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return parsed.Operations.Count == 1 ? parsed.Operations[0] : null;
            case JsonValueKind.String:
                var wanted = operationName.GetString();
                var matches = parsed.Operations.Where(o => string.Equals(o.Name, wanted, StringComparison.Ordinal)).Take(2).ToList();
                return matches.Count == 1 ? matches[0] : null;
            default:
                return null;
        }
    }

    /// <summary>Collects root field names; false when a fragment spread or a third level of inline fragments is met.</summary>
    private static bool CollectRootFields(IReadOnlyList<GraphQlSelection> selections, int inlineDepth, List<string> fields)
    {
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case GraphQlField field:
                    fields.Add(field.Name);
                    break;
                case GraphQlInlineFragment inline when inlineDepth < 2:
                    if (!CollectRootFields(inline.Selections, inlineDepth + 1, fields))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static string TypeName(GraphQlOperationType type) => type switch
    {
        GraphQlOperationType.Query => "query",
        GraphQlOperationType.Mutation => "mutation",
        _ => "subscription",
    };

    private static BodyFilterResult Refuse(string detail, string? tag) => BodyFilterResult.Blocked(
        BlockedError,
        $"GraphQL operation '{detail}' is not in this entry's operation allowlist. To request access, add it to the graphql block in .airut/network-allowlist.yaml and submit a PR.",
        detail,
        tag ?? detail);
}
