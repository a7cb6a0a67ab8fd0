using System.Globalization;

namespace Airut.Sandbox.Proxy.Http;

/// <summary>A host and optional port as written in a Host header, an <c>:authority</c> or an absolute URL (PX-4).</summary>
/// <param name="Host">The host as sent, without brackets and port (not lower-cased).</param>
/// <param name="Port">The explicit port, or null when none was written.</param>
public sealed record RequestAuthority(string Host, int? Port)
{
    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[v6]</c> or <c>[v6]:port</c>; null when malformed or empty.</summary>
    public static RequestAuthority? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        string host;
        string? portText = null;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return null;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                if (text.IndexOf(':', colon + 1) >= 0)
                {
                    return null;
                }

                host = text[..colon];
                portText = text[(colon + 1)..];
            }
            else
            {
                host = text;
            }
        }

        if (host.Length == 0)
        {
            return null;
        }

        if (portText is null)
        {
            return new RequestAuthority(host, null);
        }

        if (portText.Length is 0 or > 5 || !portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return null;
        }

        return new RequestAuthority(host, port);
    }
}
