using System.Text;
using Airut.Sandbox.Core.Aws;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// A request URL rendered for the network log (LOG-6): <c>{scheme}://{host}{:port}{path}</c>, escaped (LOG-15)
/// and with AWS presigned-URL credentials redacted (SEC-13). Only <see cref="Create"/> makes one, so a line
/// builder that takes this type cannot be handed an unescaped URL.
/// </summary>
public readonly record struct NetworkLogUrl
{
    private NetworkLogUrl(string text) => Text = text;

    /// <summary>The rendered, escaped URL.</summary>
    public string Text { get; }

    /// <summary>Renders a URL.</summary>
    /// <param name="isTls">True when the client connection used TLS (scheme <c>https</c>), else <c>http</c>.</param>
    /// <param name="host">The Host / <c>:authority</c> host name as sent, without port; IPv6 with or without brackets.</param>
    /// <param name="port">The port the request was addressed to; omitted when it is the scheme's default.</param>
    /// <param name="rawPathAndQuery">The raw, undecoded request target (path and query) as sent.</param>
    /// <returns>The URL for log lines.</returns>
    public static NetworkLogUrl Create(bool isTls, string host, int port, string rawPathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(rawPathAndQuery);
        var scheme = isTls ? "https" : "http";
        var defaultPort = isTls ? 443 : 80;
        var renderedHost = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        var builder = new StringBuilder(scheme.Length + host.Length + rawPathAndQuery.Length + 12);
        builder.Append(scheme).Append("://").Append(renderedHost);
        if (port != defaultPort)
        {
            builder.Append(':').Append(port);
        }

        builder.Append(RedactAwsCredentials(rawPathAndQuery));
        return new NetworkLogUrl(NetworkLogEscaping.EscapeField(builder.ToString()));
    }

    /// <inheritdoc />
    public override string ToString() => Text ?? string.Empty;

    // SEC-13: presigned credentials are redacted by the signer's own rules. Should that ever fail on odd input, the
    // whole query is dropped rather than logged unredacted, and the log line is still written.
    private static string RedactAwsCredentials(string rawPathAndQuery)
    {
        try
        {
            return AwsLogRedaction.RedactTarget(rawPathAndQuery);
        }
        catch (ArgumentException)
        {
            var queryStart = rawPathAndQuery.IndexOf('?', StringComparison.Ordinal);
            return queryStart < 0 ? rawPathAndQuery : rawPathAndQuery[..queryStart] + "?" + AwsLogRedaction.Marker;
        }
    }
}
