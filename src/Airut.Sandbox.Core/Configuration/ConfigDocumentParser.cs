using System.Text.RegularExpressions;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Turns YAML text into a <see cref="ConfigNode"/> tree with YamlDotNet's event parser, refusing everything a
/// configuration file has no use for before any value is interpreted:
/// anchors and aliases (so an alias bomb cannot expand, and an unquoted <c>*.example.com</c> is an error with
/// its position), every tag except the ones the file allows, more than one document, duplicate keys, complex
/// keys and nesting deeper than <see cref="ConfigurationLimits.MaxDepth"/>.
/// </summary>
internal static partial class ConfigDocumentParser
{
    /// <summary>The tag that reads a host environment variable (CFG-10).</summary>
    public const string EnvTag = "!env";

    private const string VarTag = "!var";
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>Parses <paramref name="text"/>. Returns null for a stream without a document (empty or comments only).</summary>
    /// <param name="path">The file, for locations.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="allowEnvTag">Whether <c>!env</c> may appear at all (the reader then checks where).</param>
    /// <param name="invalidYamlMessage">Formats the parser's message for a syntax error (CFG-04, AL-3).</param>
    public static ConfigNode? Parse(string path, string text, bool allowEnvTag, Func<string, string> invalidYamlMessage)
    {
        var builder = new TreeBuilder(path, allowEnvTag);
        var scanner = new Scanner(new StringReader(text));
        var parser = new Parser(scanner);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = builder.Read(parser, key: null, depth: 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                throw new SandboxConfigurationException(
                    "the file holds more than one YAML document (a second '---'); keep exactly one",
                    Location(path, next.Start));
            }

            return root;
        }
        catch (YamlException ex)
        {
            throw new SandboxConfigurationException(invalidYamlMessage(ParserMessage(ex)), Location(path, ex.Start));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these instead of a YamlException for some broken input (found by the configuration
            // fuzz test): an unclosed '{' before a multi-line plain scalar, a %TAG directive whose prefix is not a
            // URI. It is still a syntax error in the file: report it as one, at the scanner's position.
            throw new SandboxConfigurationException(
                invalidYamlMessage("the YAML cannot be read from here on (look for an unclosed '[', '{' or quote, or a malformed %TAG directive)"),
                Location(path, scanner.CurrentPosition));
        }
    }

    private static SourceLocation Location(string path, Mark mark) => new(path, (int)mark.Line, (int)mark.Column);

    private static string ParserMessage(YamlException ex)
    {
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; the location is reported separately.
        var message = MarkPrefix().Replace(ex.Message, string.Empty);
        return message.Contains("alias", StringComparison.OrdinalIgnoreCase)
            ? message + " (a value that starts with '*' must be quoted: \"*.example.com\")"
            : message;
    }

    private static string DisplayTag(string tag) =>
        tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal) ? "!!" + tag[CoreTagPrefix.Length..] : tag;

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();

    private sealed class TreeBuilder(string path, bool allowEnvTag)
    {
        public ConfigNode Read(IParser parser, string? key, int depth)
        {
            var current = parser.Current ?? throw new SandboxConfigurationException("unexpected end of the document", null, key);
            var location = Location(path, current.Start);
            if (depth > ConfigurationLimits.MaxDepth)
            {
                throw new SandboxConfigurationException($"the document is nested deeper than {ConfigurationLimits.MaxDepth} levels", location, key);
            }

            if (current is AnchorAlias alias)
            {
                throw new SandboxConfigurationException(
                    $"'*{alias.Value}' is read as a YAML alias; aliases are not allowed here, and a value that starts " +
                    $"with '*' must be quoted: \"*{alias.Value}\"",
                    location,
                    key);
            }

            if (current is NodeEvent node && !node.Anchor.IsEmpty)
            {
                throw new SandboxConfigurationException(
                    $"YAML anchors ('&{node.Anchor.Value}') are not allowed in configuration files; write the value out",
                    location,
                    key);
            }

            switch (current)
            {
                case Scalar scalar:
                    parser.MoveNext();
                    return new ScalarNode(scalar.Value, scalar.Style, CheckTag(scalar.Tag, location, key), location.Line, location.Column);
                case SequenceStart sequence:
                    RejectTag(sequence.Tag, location, key);
                    return ReadSequence(parser, key, depth, location);
                case MappingStart mapping:
                    RejectTag(mapping.Tag, location, key);
                    return ReadMapping(parser, key, depth, location);
                default:
                    throw new SandboxConfigurationException($"unexpected YAML event {current.GetType().Name}", location, key);
            }
        }

        private SequenceNode ReadSequence(IParser parser, string? key, int depth, SourceLocation location)
        {
            parser.MoveNext();
            var items = new List<ConfigNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(Read(parser, KeyPath.Item(key, items.Count), depth + 1));
            }

            return new SequenceNode(items, location.Line, location.Column);
        }

        private MappingNode ReadMapping(IParser parser, string? key, int depth, SourceLocation location)
        {
            parser.MoveNext();
            var entries = new List<MappingEntry>();
            var seen = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = Read(parser, key, depth + 1);
                var keyLocation = new SourceLocation(path, keyNode.Line, keyNode.Column);
                if (keyNode is not ScalarNode keyScalar)
                {
                    throw new SandboxConfigurationException(
                        $"a mapping key must be a plain name, got {keyNode.Describe()}", keyLocation, key);
                }

                if (keyScalar.Tag is not null)
                {
                    throw new SandboxConfigurationException(
                        $"a mapping key cannot carry a tag ({DisplayTag(keyScalar.Tag)}); tags are only allowed on values",
                        keyLocation,
                        key);
                }

                if (keyScalar.IsNull || keyScalar.Value.Length == 0)
                {
                    throw new SandboxConfigurationException("a mapping key is empty", keyLocation, key);
                }

                var childKey = KeyPath.Child(key, keyScalar.Value);
                if (seen.TryGetValue(keyScalar.Value, out var first))
                {
                    throw new SandboxConfigurationException(
                        $"duplicate key '{keyScalar.Value}' (first written at line {first.Line}); each key may appear once",
                        keyLocation,
                        childKey);
                }

                seen.Add(keyScalar.Value, keyScalar);
                entries.Add(new MappingEntry(keyScalar, Read(parser, childKey, depth + 1)));
            }

            return new MappingNode(entries, location.Line, location.Column);
        }

        private string? CheckTag(TagName tag, SourceLocation location, string? key)
        {
            if (tag.IsEmpty || tag.IsNonSpecific)
            {
                return null;
            }

            if (tag.Value == EnvTag && allowEnvTag)
            {
                return EnvTag;
            }

            if (tag.Value == VarTag && allowEnvTag)
            {
                throw new SandboxConfigurationException(
                    "!var has no meaning for airut-sandbox and is not supported; use a literal value or !env NAME",
                    location,
                    key);
            }

            var allowed = allowEnvTag ? "only !env NAME is supported" : "this file supports no tags";
            throw new SandboxConfigurationException(
                $"the YAML tag {DisplayTag(tag.Value)} is not allowed; {allowed}", location, key);
        }

        private static void RejectTag(TagName tag, SourceLocation location, string? key)
        {
            if (!tag.IsEmpty && !tag.IsNonSpecific)
            {
                throw new SandboxConfigurationException(
                    $"the YAML tag {DisplayTag(tag.Value)} is not allowed on a list or mapping", location, key);
            }
        }
    }
}
