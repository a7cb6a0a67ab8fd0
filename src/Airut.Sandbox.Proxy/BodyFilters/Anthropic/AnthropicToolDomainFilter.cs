using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Airut.Sandbox.Proxy.BodyFilters.Anthropic;

/// <summary>
/// The Anthropic server-side tool trim (OPT-7, GH-02). Anthropic's fetch tools reach the internet from Anthropic's
/// side, out of this proxy's sight, so their domain lists are cut to what the allowlist already opens for GET.
/// Gated on the request, not the matched entry (SEC-16): host <c>api.anthropic.com</c> and a decoded path that is
/// <c>/v1/messages</c> or starts with <c>/v1/messages/</c> or <c>/v1/messages?</c>, any method. Every <c>tools</c>
/// array anywhere in the body (so also <c>requests[].params.tools</c>) is walked. Covered tool types are matched
/// by prefix case-insensitively, so <c>Web_Fetch_20250910</c> is covered too: whether the provider canonicalises
/// case is not something to rely on. Key order is kept when the body is rewritten. Tag: <c>[tool-domains: ...]</c>.
/// </summary>
public sealed class AnthropicToolDomainFilter : IRequestBodyFilter
{
    /// <summary>32 MiB: Anthropic's own request limit, rounded up, so the proxy is never the tighter bound.</summary>
    public const int MaxBody = 32 * 1024 * 1024;

    /// <summary>The deepest JSON nesting accepted; far beyond any real Messages body, far below a stack risk.</summary>
    public const int MaxJsonDepth = 256;

    /// <summary>Domains named individually in a tag before the rest become <c>+N more</c> (LOG-15).</summary>
    public const int MaxLoggedDomains = 10;

    private static readonly string[] CoveredPrefixes = ["web_fetch_", "web_search_", "computer_", "bash_", "code_execution_"];

    // web_search_* answers an empty allowed_domains with a 400, so an empty result is expressed by removing the key.
    private const string UnrestrictedOnEmptyPrefix = "web_search_";

    private static readonly JsonDocumentOptions JsonOptions = StrictJson.Options(MaxJsonDepth);

    // Written with Utf8JsonWriter, not JsonSerializer: the published proxy is trimmed, where reflection-based
    // serialisation is off. Non-ASCII text stays UTF-8 rather than growing sixfold into \u escapes.
    private static readonly JsonWriterOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxJsonDepth + 1,
    };

    private readonly GetOpenHosts _openHosts;

    /// <summary>Creates the filter for the allowlist's GET-open hosts.</summary>
    public AnthropicToolDomainFilter(GetOpenHosts openHosts)
    {
        ArgumentNullException.ThrowIfNull(openHosts);
        _openHosts = openHosts;
    }

    /// <inheritdoc />
    public string Name => "tool-domains";

    /// <inheritdoc />
    public int MaxBodyBytes => MaxBody;

    /// <inheritdoc />
    public bool AppliesTo(BodyFilterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Host.Equals("api.anthropic.com", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var path = request.DecodedPathAndQuery;
        return path == "/v1/messages"
            || path.StartsWith("/v1/messages/", StringComparison.Ordinal)
            || path.StartsWith("/v1/messages?", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public BodyFilterResult Apply(BodyFilterRequest request, ReadOnlyMemory<byte> body)
    {
        if (body.Length > MaxBody)
        {
            return BodyFilterResult.Blocked(
                "tool_config_too_large",
                $"The request body is larger than the {MaxBody / (1024 * 1024)} MiB the airut network proxy inspects for Anthropic server-side tools.",
                "<too-large>",
                "<too-large>");
        }

        if (body.IsEmpty)
        {
            return BodyFilterResult.Passed();
        }

        // A first pass over the read-only document validates the body (duplicate keys, depth) and finds out whether
        // any covered tool exists at all; only then is a mutable tree built.
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            if (!HasCoveredTool(document.RootElement))
            {
                return BodyFilterResult.Passed();
            }
        }
        catch (JsonException)
        {
            return Invalid();
        }

        var root = JsonNode.Parse(body.Span, documentOptions: JsonOptions)!;
        var notes = new List<string>();
        var stack = new Stack<JsonNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "tools" && value is JsonArray tools)
                        {
                            if (TrimTools(tools, notes) is { } block)
                            {
                                return block;
                            }
                        }
                        else if (value is not null)
                        {
                            stack.Push(value);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        if (item is not null)
                        {
                            stack.Push(item);
                        }
                    }

                    break;
            }
        }

        return notes.Count == 0
            ? BodyFilterResult.Passed()
            : BodyFilterResult.Rewritten(Serialize(root), string.Join("; ", notes));
    }

    private BodyFilterResult? TrimTools(JsonArray tools, List<string> notes)
    {
        foreach (var entry in tools)
        {
            if (entry is not JsonObject tool || !IsCovered(tool, out var type))
            {
                continue;
            }

            if (tool.TryGetPropertyValue("blocked_domains", out var blocked) && (blocked is not JsonArray list || list.Count > 0))
            {
                return BodyFilterResult.Blocked(
                    "blocklist_tool_config_unsupported",
                    "Server-side tool 'blocked_domains' is not supported by the airut network proxy. Use 'allowed_domains': it is cut to the hosts the airut network allowlist opens.",
                    type,
                    $"{type}: blocked-domains");
            }

            var unrestrictedOnEmpty = type.StartsWith(UnrestrictedOnEmptyPrefix, StringComparison.OrdinalIgnoreCase);
            if (!tool.TryGetPropertyValue("allowed_domains", out var allowedNode) || allowedNode is not JsonArray allowed)
            {
                var present = tool.ContainsKey("allowed_domains");
                if (unrestrictedOnEmpty)
                {
                    if (present)
                    {
                        tool.Remove("allowed_domains");
                        notes.Add($"{type}: removed unusable allowed_domains");
                    }

                    continue;
                }

                tool["allowed_domains"] = new JsonArray();
                notes.Add($"{type}: forced allowed_domains: []");
                continue;
            }

            var original = new List<string>(allowed.Count);
            foreach (var item in allowed)
            {
                if (item is not JsonValue value || !value.TryGetValue<string>(out var domain) || !IsBareHost(domain))
                {
                    return BodyFilterResult.Blocked(
                        "wildcard_tool_domain_unsupported",
                        "Server-side tool 'allowed_domains' entries must be bare host names. Wildcards ('*', '?'), whitespace and a leading '.' are not supported by the airut network proxy.",
                        type,
                        $"{type}: wildcard");
                }

                original.Add(domain);
            }

            var kept = original.Where(_openHosts.Contains).ToList();
            var dropped = original.Where(d => !_openHosts.Contains(d)).ToList();
            if (kept.Count == 0 && unrestrictedOnEmpty)
            {
                tool.Remove("allowed_domains");
                notes.Add(original.Count == 0
                    ? $"{type}: removed empty allowed_domains"
                    : $"{type}: cleared allowed_domains ({original.Count.ToString(CultureInfo.InvariantCulture)} outside allowlist: {Format(dropped)})");
            }
            else if (dropped.Count > 0)
            {
                var index = tool.IndexOf("allowed_domains");
                tool.RemoveAt(index);
                tool.Insert(index, "allowed_domains", new JsonArray([.. kept.Select(d => (JsonNode)JsonValue.Create(d))]));
                notes.Add($"{type}: dropped {dropped.Count.ToString(CultureInfo.InvariantCulture)} of {original.Count.ToString(CultureInfo.InvariantCulture)} domains: {Format(dropped)}");
            }
        }

        return null;
    }

    private static ReadOnlyMemory<byte> Serialize(JsonNode root)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            root.WriteTo(writer);
        }

        return buffer.WrittenMemory;
    }

    private static bool HasCoveredTool(JsonElement root)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var element = stack.Pop();
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("tools") && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var tool in property.Value.EnumerateArray())
                        {
                            if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type", out var type)
                                && type.ValueKind == JsonValueKind.String && IsCoveredType(type.GetString()!))
                            {
                                return true;
                            }
                        }
                    }
                    else
                    {
                        stack.Push(property.Value);
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    stack.Push(item);
                }
            }
        }

        return false;
    }

    private static bool IsCovered(JsonObject tool, out string type)
    {
        type = string.Empty;
        return tool.TryGetPropertyValue("type", out var node) && node is JsonValue value
            && value.TryGetValue(out string? text) && text is not null && IsCoveredType(type = text);
    }

    private static bool IsCoveredType(string type) =>
        CoveredPrefixes.Any(prefix => type.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static bool IsBareHost(string domain) =>
        domain.Length > 0 && domain[0] != '.' && !domain.Any(c => c is '*' or '?' || char.IsWhiteSpace(c));

    private static string Format(List<string> domains) => domains.Count <= MaxLoggedDomains
        ? string.Join(',', domains)
        : $"{string.Join(',', domains.Take(MaxLoggedDomains))},+{(domains.Count - MaxLoggedDomains).ToString(CultureInfo.InvariantCulture)} more";

    private static BodyFilterResult Invalid() => BodyFilterResult.Blocked(
        "tool_config_invalid",
        "The request body is not valid JSON, repeats a key, or is nested too deeply. The airut network proxy parses Anthropic Messages bodies to cut server-side tool 'allowed_domains'.",
        "<invalid-json>",
        "<invalid-json>");
}
