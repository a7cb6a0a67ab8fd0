using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Loads <c>.airut/network-allowlist.yaml</c> (network.md §1) strictly: every AL-13 [H] malformation is an
/// error with file, line, column and key, so no partial or surprising allowlist is ever applied.
/// </summary>
public sealed partial class AllowlistLoader(ILogger<AllowlistLoader> logger)
{
    /// <summary>The default location relative to the repository root (AL-1).</summary>
    public const string DefaultRelativePath = ".airut/network-allowlist.yaml";

    private static readonly string[] TopLevelKeys = ["domains", "url_prefixes"];
    private static readonly string[] EntryKeys = ["host", "path", "methods", "graphql"];
    private static readonly string[] GraphQlKeys = ["queries", "mutations", "subscriptions"];

    /// <summary>
    /// Loads the allowlist at <paramref name="path"/>. A missing file is the empty allowlist that blocks
    /// everything (AL-3) unless the path was named explicitly (<c>--allowlist</c>), which makes it an error (SEC-20 [DEV]).
    /// </summary>
    public async Task<Allowlist> LoadAsync(string path, bool explicitlyNamed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            if (Directory.Exists(path))
            {
                throw new SandboxConfigurationException($"allowlist path is a directory, not a file: {path}", new SourceLocation(path, 1, 1));
            }

            if (explicitlyNamed)
            {
                throw new SandboxConfigurationException(
                    $"allowlist file not found: {path} (it was named explicitly, so it must exist)", new SourceLocation(path, 1, 1));
            }

            LogNotFound(path);
            return Allowlist.Empty;
        }

        var text = await ConfigurationFileText.ReadAsync(path, ConfigurationLimits.MaxYamlBytes, cancellationToken).ConfigureAwait(false);
        return Parse(path, text);
    }

    /// <summary>Parses allowlist YAML already in memory; <paramref name="path"/> is used for messages.</summary>
    public static Allowlist Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var root = ConfigDocumentParser.Parse(path, text, allowEnvTag: false, message => $"Invalid allowlist YAML: {message}");
        if (root is null or ScalarNode { IsNull: true })
        {
            return Allowlist.Empty;
        }

        var reader = new ConfigNodeReader(path);
        if (root is not MappingNode top)
        {
            throw reader.Error(root, null, $"the allowlist must be a YAML mapping with the keys domains and url_prefixes, got {root.Describe()}");
        }

        reader.RejectUnknownKeys(top, null, TopLevelKeys);
        IReadOnlyList<string> domains = top.Find("domains") is { } domainsEntry
            ? reader.StringList(domainsEntry.Value, "domains", "host pattern", nonEmpty: false, HostPatternRule.Check)
            : [];
        IReadOnlyList<UrlPrefixRule> prefixes = top.Find("url_prefixes") is { } prefixesEntry
            ? ReadUrlPrefixes(reader, prefixesEntry.Value)
            : [];
        return new Allowlist(domains, prefixes);
    }

    private static List<UrlPrefixRule> ReadUrlPrefixes(ConfigNodeReader reader, ConfigNode node)
    {
        if (node is not SequenceNode list)
        {
            throw reader.Error(node, "url_prefixes", $"expected a list of entries (host, path, methods, graphql), got {node.Describe()}");
        }

        var rules = new List<UrlPrefixRule>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            rules.Add(ReadEntry(reader, list.Items[i], KeyPath.Item("url_prefixes", i)));
        }

        return rules;
    }

    private static UrlPrefixRule ReadEntry(ConfigNodeReader reader, ConfigNode node, string key)
    {
        if (node is not MappingNode entry)
        {
            throw reader.Error(node, key, $"expected an entry mapping with host, path, methods, graphql, got {node.Describe()}");
        }

        reader.RejectUnknownKeys(entry, key, EntryKeys);
        var hostEntry = entry.Find("host")
            ?? throw reader.Error(entry, key, "the entry has no 'host'; every url_prefixes entry needs a host pattern");
        var hostKey = KeyPath.Child(key, "host");
        var host = reader.String(hostEntry.Value, hostKey, "a host pattern");
        if (HostPatternRule.Check(host) is { } hostProblem)
        {
            throw reader.Error(hostEntry.Value, hostKey, hostProblem);
        }

        var path = entry.Find("path") is { } pathEntry && pathEntry.Value is not ScalarNode { IsNull: true }
            ? reader.String(pathEntry.Value, KeyPath.Child(key, "path"), "a path pattern")
            : string.Empty;
        IReadOnlyList<string> methods = entry.Find("methods") is { } methodsEntry
            ? reader.StringList(methodsEntry.Value, KeyPath.Child(key, "methods"), "HTTP method", nonEmpty: false, CheckMethod)
                .Select(m => m.ToUpperInvariant()).ToArray()
            : [];
        var graphQl = entry.Find("graphql") is { } graphQlEntry
            ? ReadGraphQl(reader, graphQlEntry.Value, KeyPath.Child(key, "graphql"))
            : null;
        return new UrlPrefixRule(host, path, methods, graphQl, reader.At(entry));
    }

    private static GraphQlRules? ReadGraphQl(ConfigNodeReader reader, ConfigNode node, string key)
    {
        if (node is ScalarNode { IsNull: true })
        {
            return null;
        }

        var block = reader.Mapping(node, key, "'graphql'");
        reader.RejectUnknownKeys(block, key, GraphQlKeys);
        IReadOnlyList<string> Operations(string name) => block.Find(name) is { } list
            ? reader.StringList(list.Value, KeyPath.Child(key, name), "GraphQL operation name pattern", nonEmpty: false)
            : [];
        return new GraphQlRules(Operations("queries"), Operations("mutations"), Operations("subscriptions"));
    }

    private static string? CheckMethod(string method)
    {
        foreach (var c in method)
        {
            if (!char.IsAsciiLetter(c))
            {
                return $"'{method}' is not an HTTP method; methods are letters only, like GET or POST";
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Allowlist file not found: {Path} (using empty allowlist)")]
    private partial void LogNotFound(string path);
}
