using System.Globalization;
using System.Net;
using System.Text;
using Airut.Sandbox.Abstractions.Logging;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// Builds every line kind of the network log (network.md §4.2, DNS-7) with its routing (LOG-13): the text is
/// escaped here, and <see cref="NetworkLogLine.Loud"/> says whether the line also goes to stdout.
/// </summary>
public static class NetworkLogLines
{
    /// <summary>The text of the line written once when the file reaches its size cap (RES-06).</summary>
    public const string SizeCapReachedText = "WARNING: network log size cap reached";

    /// <summary>The longest free-text detail kept in an error or warning line, before the truncation suffix.</summary>
    public const int MaxDetailLength = 1000;

    /// <summary>The longest exception message kept in <see cref="DescribeFailure"/> (LOG-12).</summary>
    public const int MaxExceptionMessageLength = 200;

    /// <summary>LOG-3: <c>=== TASK START {yyyy-MM-ddTHH:mm:ssZ} ===</c>, UTC, whole seconds; file only.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine TaskStart(DateTimeOffset now) =>
        Quiet($"=== TASK START {now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ===");

    /// <summary>
    /// LOG-5: <c>{ALLOWED|BLOCKED} {METHOD} {URL} -> {STATUS}{ANNOTATIONS}</c>. <c>BLOCKED</c> is loud (SEC-39).
    /// </summary>
    /// <param name="verdict">Allowed or blocked.</param>
    /// <param name="method">The request method as sent.</param>
    /// <param name="url">The rendered URL.</param>
    /// <param name="status">The response status, or null when there is no response (rendered <c>?</c>).</param>
    /// <param name="annotations">The tags, or null for none.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine Access(
        NetworkLogVerdict verdict,
        string method,
        NetworkLogUrl url,
        int? status,
        AccessAnnotations? annotations = null)
    {
        var builder = new StringBuilder(128);
        builder.Append(verdict == NetworkLogVerdict.Allowed ? "ALLOWED " : "BLOCKED ")
            .Append(NetworkLogEscaping.EscapeField(method)).Append(' ')
            .Append(url.Text).Append(" -> ")
            .Append(status is { } code ? code.ToString(CultureInfo.InvariantCulture) : "?");
        AppendAnnotations(builder, annotations ?? AccessAnnotations.None);
        return new NetworkLogLine(builder.ToString(), verdict == NetworkLogVerdict.Blocked);
    }

    /// <summary>LOG-7: <c>BLOCKED CONNECT {host}:{port} -> 403 (tunneling not allowed)</c>; loud.</summary>
    /// <param name="host">The CONNECT target host as sent.</param>
    /// <param name="port">The CONNECT target port.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine ConnectBlocked(string host, int port) =>
        Loud($"BLOCKED CONNECT {NetworkLogEscaping.EscapeField(host)}:{port.ToString(CultureInfo.InvariantCulture)} -> 403 (tunneling not allowed)");

    /// <summary>
    /// LOG-8: <c>BLOCKED {METHOD} {URL} -> 403 (host mismatch: header={decisionHost}, url={routingHost})</c>; loud.
    /// </summary>
    /// <param name="method">The request method.</param>
    /// <param name="url">The rendered URL.</param>
    /// <param name="decisionHost">The host the allowlist would be evaluated against (Host / :authority).</param>
    /// <param name="routingHost">The host the request would be routed to (SNI or absolute URL).</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine HostMismatch(string method, NetworkLogUrl url, string decisionHost, string routingHost) =>
        Loud($"BLOCKED {NetworkLogEscaping.EscapeField(method)} {url.Text} -> 403 (host mismatch: header={NetworkLogEscaping.EscapeField(decisionHost)}, url={NetworkLogEscaping.EscapeField(routingHost)})");

    /// <summary>LOG-9: <c>ERROR {METHOD} {URL} -> {message}</c>, <c>unknown error</c> without detail; loud.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="url">The rendered URL.</param>
    /// <param name="message">What failed, in one line; escaped and cut here.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine Error(string method, NetworkLogUrl url, string? message) =>
        Loud($"ERROR {NetworkLogEscaping.EscapeField(method)} {url.Text} -> {(string.IsNullOrWhiteSpace(message) ? "unknown error" : Detail(message))}");

    /// <summary>
    /// LOG-10: <c>STRIPPED header '{lowercase-name}' from {METHOD} {URL} (foreign credential blocked)</c>; loud.
    /// </summary>
    /// <param name="headerName">The stripped header's name.</param>
    /// <param name="method">The request method.</param>
    /// <param name="url">The rendered URL.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine Stripped(string headerName, string method, NetworkLogUrl url) =>
        Loud($"STRIPPED header '{HeaderName(headerName)}' from {NetworkLogEscaping.EscapeField(method)} {url.Text} (foreign credential blocked)");

    /// <summary>
    /// LOG-11: <c>COLLAPSED {N} duplicate '{lowercase-name}' headers in {METHOD} {URL} (duplicate credential headers removed)</c>; loud.
    /// </summary>
    /// <param name="count">How many duplicates were removed.</param>
    /// <param name="headerName">The header's name.</param>
    /// <param name="method">The request method.</param>
    /// <param name="url">The rendered URL.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine Collapsed(int count, string headerName, string method, NetworkLogUrl url) =>
        Loud($"COLLAPSED {count.ToString(CultureInfo.InvariantCulture)} duplicate '{HeaderName(headerName)}' headers in {NetworkLogEscaping.EscapeField(method)} {url.Text} (duplicate credential headers removed)");

    /// <summary>
    /// LOG-12: <c>WARNING: Container clock skew detected: x-amz-date={v}, proxy-time={yyyyMMddTHHmmssZ} (drift={N}m). Upstream rejection likely.</c>; loud.
    /// </summary>
    /// <param name="amzDate">The request's <c>x-amz-date</c> value as sent.</param>
    /// <param name="proxyTime">The proxy's clock.</param>
    /// <param name="driftMinutes">The drift in whole minutes.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine ClockSkew(string amzDate, DateTimeOffset proxyTime, long driftMinutes) =>
        Loud($"WARNING: Container clock skew detected: x-amz-date={NetworkLogEscaping.EscapeField(amzDate)}, proxy-time={proxyTime.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)} (drift={driftMinutes.ToString(CultureInfo.InvariantCulture)}m). Upstream rejection likely.");

    /// <summary>
    /// Another LOG-12 warning from an optional feature (for example
    /// <c>Deferred AWS signing could not read the request body: {Type}: {msg}</c>); loud, escaped, cut.
    /// </summary>
    /// <param name="text">The warning's text.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine Warning(string text) => Loud(Detail(text));

    /// <summary>A LOG-12 debug line (<c>re-sign: ...</c>); file only, escaped, cut.</summary>
    /// <param name="text">The debug text; it must never hold secret values.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine Debug(string text) => Quiet(Detail(text));

    /// <summary>The single line written when the file reaches its size cap (RES-06); loud.</summary>
    /// <returns>The line.</returns>
    public static NetworkLogLine SizeCapReached() => Loud(SizeCapReachedText);

    /// <summary>DNS-7: <c>DNS A {name} -> {proxyIp}</c>; file only.</summary>
    /// <param name="labels">The queried name's raw labels, in order (none for the root).</param>
    /// <param name="proxyAddress">The IPv4 address answered.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine DnsAnswer(IReadOnlyList<ReadOnlyMemory<byte>> labels, IPAddress proxyAddress)
    {
        ArgumentNullException.ThrowIfNull(proxyAddress);
        return Quiet($"DNS A {DnsName(labels)} -> {proxyAddress}");
    }

    /// <summary>DNS-7: <c>DNS {TYPE} {name} -> NOTIMP</c>; file only.</summary>
    /// <param name="queryType">The QTYPE code.</param>
    /// <param name="labels">The queried name's raw labels, in order.</param>
    /// <returns>The line.</returns>
    public static NetworkLogLine DnsNotImplemented(ushort queryType, IReadOnlyList<ReadOnlyMemory<byte>> labels) =>
        Quiet($"DNS {DnsTypeName(queryType)} {DnsName(labels)} -> NOTIMP");

    /// <summary>The DNS-7 name of a QTYPE: A, NS, CNAME, MX, TXT, AAAA, SRV, ANY, else <c>TYPE{n}</c>.</summary>
    /// <param name="queryType">The QTYPE code.</param>
    /// <returns>The name.</returns>
    public static string DnsTypeName(ushort queryType) => queryType switch
    {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        255 => "ANY",
        _ => "TYPE" + queryType.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// DNS-7 / DNS-9: the labels escaped one by one and joined with <c>.</c>; the root name is the empty string.
    /// </summary>
    /// <param name="labels">The raw labels.</param>
    /// <returns>The escaped name.</returns>
    public static string DnsName(IReadOnlyList<ReadOnlyMemory<byte>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var builder = new StringBuilder(64);
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('.');
            }

            builder.Append(NetworkLogEscaping.EscapeDnsLabel(labels[i].Span));
        }

        return builder.ToString();
    }

    /// <summary>The LOG-12 form of a failure: <c>{Type}: {message cut to 200 characters}</c>.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The text, not yet escaped (the line builders escape it).</returns>
    public static string DescribeFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (message.Length > MaxExceptionMessageLength)
        {
            message = message[..MaxExceptionMessageLength];
        }

        return $"{exception.GetType().Name}: {message}";
    }

    /// <summary>Cuts a tag or detail to <paramref name="maxLength"/> characters plus the truncation suffix (LOG-15).</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The longest text kept.</param>
    /// <returns>The text, cut when it was longer.</returns>
    public static string Truncate(string text, int maxLength = AccessAnnotations.MaxTagLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), AccessAnnotations.TruncationSuffix);
    }

    private static void AppendAnnotations(StringBuilder builder, AccessAnnotations annotations)
    {
        var tags = new List<string>();
        foreach (var filter in annotations.FilterTags)
        {
            tags.Add($"{filter.FilterName}: {Truncate(filter.Tag)}");
        }

        if (!string.IsNullOrEmpty(annotations.CredentialInfo))
        {
            tags.Add(Truncate(annotations.CredentialInfo));
        }

        if (annotations.Masked > 0)
        {
            tags.Add("masked: " + annotations.Masked.ToString(CultureInfo.InvariantCulture));
        }

        if (annotations.Dropped > 0)
        {
            tags.Add("dropped: " + annotations.Dropped.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(annotations.Region))
        {
            tags.Add("region: " + Truncate(annotations.Region));
        }

        // Brackets inside a tag are escaped so that request-derived tag text cannot fake another tag
        // such as [dropped: N], which consumers look for (LOG-18).
        foreach (var tag in tags)
        {
            var escaped = NetworkLogEscaping.EscapeText(tag)
                .Replace("[", "\\x5b", StringComparison.Ordinal)
                .Replace("]", "\\x5d", StringComparison.Ordinal);
            builder.Append(" [").Append(escaped).Append(']');
        }
    }

    private static string HeaderName(string name) => NetworkLogEscaping.EscapeField(name.ToLowerInvariant());

    private static string Detail(string text) => NetworkLogEscaping.EscapeText(Truncate(text, MaxDetailLength));

    private static NetworkLogLine Quiet(string text) => new(text, Loud: false);

    private static NetworkLogLine Loud(string text) => new(text, Loud: true);
}
