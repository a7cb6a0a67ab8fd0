using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Proxy.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Airut.Sandbox.Proxy.Upstream;

/// <summary>
/// Sends an allowed request upstream and relays the response (PX-17): one pooled <see cref="SocketsHttpHandler"/>
/// (no redirects, no cookies, no decompression, no proxy), HTTP/1.1 upstream, bodies streamed both ways,
/// hop-by-hop headers removed both ways, the raw target and the Host header preserved, no <c>Via</c> or
/// <c>X-Forwarded-*</c>. A 502 is produced when the upstream exchange fails before the response started.
/// </summary>
public sealed class UpstreamForwarder : IDisposable
{
    private const int CopyBufferSize = 32 * 1024;

    private readonly HttpMessageInvoker _invoker;

    /// <summary>Creates the forwarder over a connector and a certificate validator.</summary>
    public UpstreamForwarder(UpstreamConnector connector, UpstreamCertificateValidator certificateValidator)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(certificateValidator);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = connector.ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxResponseHeadersLength = 64,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = certificateValidator.Validate,
                EnabledSslProtocols = SslProtocols.None,
            },
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>
    /// Forwards <paramref name="request"/> and relays the answer into <paramref name="context"/>.
    /// <paramref name="onUpgraded"/> runs once a WebSocket upgrade got its 101, before frames are relayed.
    /// </summary>
    public async Task<ForwardResult> ForwardAsync(HttpContext context, ProxiedRequest request, bool webSocket, Action<int> onUpgraded)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onUpgraded);
        var aborted = context.RequestAborted;
        using var message = BuildMessage(request, webSocket);
        if (message is null)
        {
            await WriteBadGatewayAsync(context).ConfigureAwait(false);
            return new ForwardResult(null, "request target cannot be sent upstream");
        }

        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(message, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or UpstreamRefusedException)
        {
            var error = Describe(ex, aborted);
            if (IsMalformedRequestBody(ex))
            {
                // The client's own body was malformed (bad chunk framing, short body): its fault, not the upstream's.
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return new ForwardResult(null, "malformed request body");
            }

            if (!aborted.IsCancellationRequested)
            {
                await WriteBadGatewayAsync(context).ConfigureAwait(false);
            }

            return new ForwardResult(null, error);
        }

        using (response)
        {
            try
            {
                if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
                {
                    return await RelayUpgradeAsync(context, response, webSocket, onUpgraded).ConfigureAwait(false);
                }

                context.Response.StatusCode = (int)response.StatusCode;
                CopyResponseHeaders(response, context.Response, keepUpgrade: false);
                var body = await response.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    await CopyAsync(body, context.Response.Body, flushEachRead: true, aborted).ConfigureAwait(false);
                }

                await context.Response.CompleteAsync().ConfigureAwait(false);
                return new ForwardResult((int)response.StatusCode, null);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
            {
                var error = Describe(ex, aborted);
                if (!context.Response.HasStarted)
                {
                    context.Response.Headers.Clear();
                    await WriteBadGatewayAsync(context).ConfigureAwait(false);
                }
                else
                {
                    context.Abort();
                }

                return new ForwardResult(null, error);
            }
        }
    }

    /// <summary>Builds the upstream request: origin-form target kept byte for byte, Host as sent.</summary>
    private static HttpRequestMessage? BuildMessage(ProxiedRequest request, bool webSocket)
    {
        var host = request.Host.Contains(':', StringComparison.Ordinal) ? $"[{request.Host}]" : request.Host;
        var options = new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true };
        if (!Uri.TryCreate($"{request.Scheme}://{host}:{request.Port}{request.PathAndQuery}", in options, out var uri))
        {
            return null;
        }

        var message = new HttpRequestMessage(new HttpMethod(request.Method), uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var nominated = HopByHopHeaders.NominatedBy(
            request.Headers.Where(h => h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
        var contentHeaders = new List<HeaderField>();
        string? hostHeader = null;
        string? upgrade = null;
        foreach (var header in request.Headers)
        {
            if (header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                hostHeader ??= header.Value;
                continue;
            }

            if (header.Name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                upgrade ??= header.Value;
                continue;
            }

            if (header.Name.StartsWith(':') || HopByHopHeaders.IsHopByHop(header.Name) || nominated.Contains(header.Name)
                || header.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(header.Name, header.Value))
            {
                contentHeaders.Add(header);
            }
        }

        message.Headers.Host = hostHeader ?? (request.Port == (request.Scheme == "https" ? 443 : 80) ? host : $"{host}:{request.Port}");
        if (webSocket && upgrade is not null)
        {
            message.Headers.TryAddWithoutValidation("Connection", "Upgrade");
            message.Headers.TryAddWithoutValidation("Upgrade", upgrade);
        }

        if (request.Body is not null || contentHeaders.Count > 0 || request.ContentLength is > 0)
        {
            HttpContent content = request.Body is null ? new ByteArrayContent([]) : new StreamContent(request.Body, CopyBufferSize);
            foreach (var header in contentHeaders)
            {
                content.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }

            content.Headers.ContentLength = request.Body is null ? 0 : request.ContentLength;
            message.Content = content;
        }

        return message;
    }

    private static async Task<ForwardResult> RelayUpgradeAsync(HttpContext context, HttpResponseMessage response, bool webSocket, Action<int> onUpgraded)
    {
        var upgradeFeature = context.Features.Get<IHttpUpgradeFeature>();
        if (!webSocket || upgradeFeature is null || !upgradeFeature.IsUpgradableRequest)
        {
            await WriteBadGatewayAsync(context).ConfigureAwait(false);
            return new ForwardResult(null, "upstream switched protocols without an upgrade request");
        }

        context.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
        CopyResponseHeaders(response, context.Response, keepUpgrade: true);
        var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
        await using var upstreamDisposal = upstream.ConfigureAwait(false);
        var client = await upgradeFeature.UpgradeAsync().ConfigureAwait(false);
        await using var clientDisposal = client.ConfigureAwait(false);
        onUpgraded(StatusCodes.Status101SwitchingProtocols);

        // Frames are relayed as opaque bytes (TUN-02: never inspected, never rewritten), until either side closes.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var up = CopyAsync(client, upstream, flushEachRead: true, stop.Token);
        var down = CopyAsync(upstream, client, flushEachRead: true, stop.Token);
        await Task.WhenAny(up, down).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // One side closed; the other copy was cancelled on purpose.
        }

        return new ForwardResult(StatusCodes.Status101SwitchingProtocols, null, AlreadyLogged: true);
    }

    private static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse target, bool keepUpgrade)
    {
        var nominated = HopByHopHeaders.NominatedBy(response.Headers.TryGetValues("Connection", out var connection) ? connection : []);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (keepUpgrade && name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                target.Headers.Append(name, values.ToArray());
                continue;
            }

            if (HopByHopHeaders.IsHopByHop(name) || nominated.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            target.Headers.Append(name, values.ToArray());
        }

        if (response.Content.Headers.ContentLength is { } length && !keepUpgrade)
        {
            target.ContentLength = length;
        }
    }

    private static async Task CopyAsync(Stream source, Stream destination, bool flushEachRead, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                if (flushEachRead)
                {
                    await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteBadGatewayAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("502 Bad Gateway: the airut network proxy could not complete the upstream request.\n", context.RequestAborted).ConfigureAwait(false);
    }

    private static bool IsMalformedRequestBody(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A one-line description of a failure, from the proxy's own words only (no upstream text, no secrets).</summary>
    private static string Describe(Exception exception, CancellationToken clientAborted)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is UpstreamRefusedException refused)
            {
                return refused.Message;
            }

            if (e is AuthenticationException)
            {
                return "upstream TLS handshake or certificate verification failed";
            }
        }

        if (clientAborted.IsCancellationRequested)
        {
            return "client disconnected";
        }

        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "name resolution failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection failed",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "upstream TLS handshake or certificate verification failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "upstream closed the connection",
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => "invalid upstream response",
            HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } => "upstream response exceeded a limit",
            OperationCanceledException => "upstream timeout",
            IOException => "upstream connection broken",
            InvalidOperationException => "upstream response cannot be relayed",
            _ => "upstream request failed",
        };
    }

    /// <inheritdoc />
    public void Dispose() => _invoker.Dispose();
}
