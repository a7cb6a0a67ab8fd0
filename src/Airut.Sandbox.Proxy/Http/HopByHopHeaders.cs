namespace Airut.Sandbox.Proxy.Http;

/// <summary>
/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus the ones this proxy never passes
/// on: they are removed in both directions, together with every header a <c>Connection</c> header names.
/// <c>Proxy-Authorization</c> never goes upstream (CRED-06); <c>Upgrade</c>/<c>HTTP2-Settings</c> never do
/// except for a WebSocket upgrade (H2-03: no h2c channel the proxy cannot inspect).
/// </summary>
public static class HopByHopHeaders
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection",
        "Keep-Alive",
        "Proxy-Connection",
        "Proxy-Authorization",
        "Proxy-Authenticate",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "HTTP2-Settings",
        "Expect",
        "Alt-Svc",
    };

    /// <summary>True when <paramref name="name"/> is hop-by-hop by itself.</summary>
    public static bool IsHopByHop(string name) => Names.Contains(name);

    /// <summary>The header names listed in the <c>Connection</c> header values (connection options).</summary>
    public static HashSet<string> NominatedBy(IEnumerable<string> connectionValues)
    {
        var nominated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in connectionValues)
        {
            foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                nominated.Add(token);
            }
        }

        return nominated;
    }
}
