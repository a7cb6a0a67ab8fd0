using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Reads <c>upstream_hosts</c> (additions.md): a mapping from host name or glob (allowlist host semantics) to
/// an IPv4 or IPv6 literal. Only canonical literals are accepted: <c>10.1</c> or <c>0x7f.1</c>, which
/// <see cref="IPAddress.TryParse(string, out IPAddress)"/> would read as some other address, are errors.
/// </summary>
internal static partial class UpstreamHostsSection
{
    private const string Key = "upstream_hosts";

    /// <summary>Reads the section; absent means an empty map.</summary>
    public static IReadOnlyList<UpstreamHost> Read(ConfigNodeReader reader, ConfigNode? node)
    {
        if (node is null)
        {
            return [];
        }

        var section = reader.Mapping(node, Key, "'upstream_hosts'");
        var hosts = new List<UpstreamHost>(section.Entries.Count);
        foreach (var (patternNode, addressNode) in section.Entries)
        {
            var key = KeyPath.Child(Key, patternNode.Value);
            if (HostPatternRule.Check(patternNode.Value) is { } patternProblem)
            {
                throw reader.Error(patternNode, key, patternProblem);
            }

            var text = reader.String(addressNode, key, "an IPv4 or IPv6 address");
            var address = ParseLiteral(text)
                ?? throw reader.Error(addressNode, key, $"'{text}' is not an IP address literal; write an IPv4 (10.0.0.5) or IPv6 (fd00::5) address, not a name");
            hosts.Add(new UpstreamHost(patternNode.Value, address));
        }

        return hosts;
    }

    private static IPAddress? ParseLiteral(string text)
    {
        if (Ipv4Pattern().IsMatch(text))
        {
            return IPAddress.TryParse(text, out var v4) ? v4 : null;
        }

        return text.Contains(':', StringComparison.Ordinal)
            && !text.Contains('%', StringComparison.Ordinal)
            && !text.Contains('[', StringComparison.Ordinal)
            && IPAddress.TryParse(text, out var v6)
            && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? v6
                : null;
    }

    [GeneratedRegex(@"^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();
}
