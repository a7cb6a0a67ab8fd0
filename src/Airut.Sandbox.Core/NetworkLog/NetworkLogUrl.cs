using System.Text;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// A request URL rendered for the network log (LOG-6): <c>{scheme}://{host}{:port}{path}</c>, escaped (LOG-15)
/// and with AWS presigned-URL credentials redacted (SEC-13). Only <see cref="Create"/> makes one, so a line
/// builder that takes this type cannot be handed an unescaped URL.
/// </summary>
public readonly record struct NetworkLogUrl
{
    /// <summary>The value that replaces a redacted query parameter's value.</summary>
    public const string RedactedValue = "REDACTED";

    private static readonly string[] RedactedParameters =
    [
        "X-Amz-Credential",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    ];

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

    /// <summary>
    /// Replaces the values of <c>X-Amz-Credential</c>, <c>X-Amz-Security-Token</c> and <c>X-Amz-Signature</c>
    /// query parameters. Names are compared case-insensitively after percent-decoding, because AWS decodes them
    /// too: an encoded name must not smuggle the value past redaction.
    /// </summary>
    /// <param name="rawPathAndQuery">A raw request target.</param>
    /// <returns>The target with those values replaced by <see cref="RedactedValue"/>.</returns>
    public static string RedactAwsCredentials(string rawPathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(rawPathAndQuery);
        var queryStart = rawPathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0
            || (rawPathAndQuery.IndexOf("amz", queryStart, StringComparison.OrdinalIgnoreCase) < 0
                && rawPathAndQuery.IndexOf('%', queryStart) < 0))
        {
            return rawPathAndQuery;
        }

        var parameters = rawPathAndQuery[(queryStart + 1)..].Split('&');
        var changed = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            var equals = parameters[i].IndexOf('=', StringComparison.Ordinal);
            var rawName = equals < 0 ? parameters[i] : parameters[i][..equals];
            if (IsRedactedName(rawName))
            {
                parameters[i] = rawName + "=" + RedactedValue;
                changed = true;
            }
        }

        return changed ? rawPathAndQuery[..(queryStart + 1)] + string.Join('&', parameters) : rawPathAndQuery;
    }

    private static bool IsRedactedName(string rawName)
    {
        string name;
        try
        {
            name = Uri.UnescapeDataString(rawName.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            name = rawName;
        }

        foreach (var redacted in RedactedParameters)
        {
            if (string.Equals(name.Trim(), redacted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
