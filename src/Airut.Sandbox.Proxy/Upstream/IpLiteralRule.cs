using System.Net;

namespace Airut.Sandbox.Proxy.Upstream;

/// <summary>
/// SEC-34 hardened: a request whose host is an IP literal goes upstream only when an allowlist entry names that
/// exact address (a wildcard such as <c>*</c> never admits one), and never when it is one of the proxy's own
/// addresses or loopback (no self-loops, PX-16).
/// </summary>
public sealed class IpLiteralRule
{
    private readonly HashSet<IPAddress> _named;
    private readonly IReadOnlySet<IPAddress> _own;

    /// <summary>Creates the rule from the addresses the allowlist names exactly and the proxy's own addresses.</summary>
    public IpLiteralRule(IEnumerable<string> allowlistHostPatterns, IReadOnlySet<IPAddress> ownAddresses)
    {
        ArgumentNullException.ThrowIfNull(allowlistHostPatterns);
        var named = new HashSet<IPAddress>();
        foreach (var pattern in allowlistHostPatterns)
        {
            if (IPAddress.TryParse(pattern.Trim('[', ']'), out var address))
            {
                named.Add(UpstreamAddressRules.Canonical(address));
            }
        }

        _named = named;
        _own = ownAddresses;
    }

    /// <summary>Why <paramref name="decisionHost"/> is refused, or null when it is a name or an admitted literal.</summary>
    public string? Refusal(string decisionHost)
    {
        ArgumentNullException.ThrowIfNull(decisionHost);
        if (!IPAddress.TryParse(decisionHost.Trim('[', ']'), out var parsed))
        {
            return null;
        }

        var address = UpstreamAddressRules.Canonical(parsed);
        if (_own.Contains(address) || IPAddress.IsLoopback(address))
        {
            return "Requests to the proxy itself or to loopback are never forwarded.";
        }

        return _named.Contains(address)
            ? null
            : "IP-literal hosts are forwarded only when an allowlist entry names that exact address; wildcard entries do not admit them.";
    }
}
