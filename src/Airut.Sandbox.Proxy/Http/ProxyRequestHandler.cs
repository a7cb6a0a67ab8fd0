using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Proxy.BodyFilters;
using Airut.Sandbox.Proxy.Upstream;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Proxy.Http;

/// <summary>
/// The per-request pipeline of network.md §2.2, in order: S0 CONNECT → 403; S1 host mismatch (absolute URL or
/// SNI versus Host/<c>:authority</c>) → 403; port and IP-literal hardening (PX-22, SEC-34); S2 allowlist → 403
/// JSON; S3 request-body filters (OPT-6) → 403 JSON; S4 credentials (AWS re-signing, then masked secrets, TLS legs
/// only); S5 forward; S6 exactly one terminal log line. Any unexpected failure before forwarding blocks the request (PX-20).
/// </summary>
public sealed partial class ProxyRequestHandler
{
    private readonly IEgressPolicy _policy;
    private readonly IRequestSigner? _signer;
    private readonly ICredentialMasker? _masker;
    private readonly INetworkLog _log;
    private readonly UpstreamForwarder _forwarder;
    private readonly IpLiteralRule _ipLiterals;
    private readonly BodyFilterPipeline _bodyFilters;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public ProxyRequestHandler(
        IEgressPolicy policy,
        IRequestSigner? signer,
        ICredentialMasker? masker,
        INetworkLog log,
        UpstreamForwarder forwarder,
        IpLiteralRule ipLiterals,
        BodyFilterPipeline bodyFilters,
        ILogger<ProxyRequestHandler> logger)
    {
        _policy = policy;
        _signer = signer;
        _masker = masker;
        _log = log;
        _forwarder = forwarder;
        _ipLiterals = ipLiterals;
        _bodyFilters = bodyFilters;
        _logger = logger;
    }

    /// <summary>Handles one request end to end.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var isTls = request.IsHttps;
        var method = request.Method;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;

        // S0: CONNECT, including HTTP/2 (extended) CONNECT, is never tunnelled (PX-12, TUN-01).
        if (HttpMethods.IsConnect(method))
        {
            var targetText = rawTarget.Length > 0 && rawTarget[0] != '/' ? rawTarget : request.Headers.Host.ToString();
            var target = RequestAuthority.Parse(targetText);
            var port = target?.Port ?? (isTls ? 443 : 80);
            var host = target?.Host ?? targetText;
            _log.Write(NetworkLogLines.ConnectBlocked(host, port));
            await ProxyResponses.WriteConnectBlockedAsync(context, $"{host}:{port}").ConfigureAwait(false);
            return;
        }

        if (HasForbiddenHeaderCharacters(request.Headers))
        {
            await ProxyResponses.WriteBadRequestAsync(context, "Header names and values may not contain CR, LF or NUL.").ConfigureAwait(false);
            return;
        }

        // H2-02 / SMUG-01: connection-specific fields make an HTTP/2 request malformed (RFC 9113 §8.2.2).
        if (!HttpProtocol.IsHttp11(request.Protocol) && !HttpProtocol.IsHttp10(request.Protocol) && HasConnectionSpecificField(request.Headers))
        {
            await ProxyResponses.WriteBadRequestAsync(context, "Connection-specific header fields are not allowed in HTTP/2 requests.").ConfigureAwait(false);
            return;
        }

        // SMUG-01: a message with both framings is refused outright rather than re-framed (RFC 9112 §6.3).
        if (request.Headers.ContainsKey("Transfer-Encoding") && request.Headers.ContainsKey("Content-Length"))
        {
            context.Response.Headers.Connection = "close";
            await ProxyResponses.WriteBadRequestAsync(context, "Content-Length and Transfer-Encoding together are not accepted.").ConfigureAwait(false);
            return;
        }

        var parsedTarget = RequestTarget.Parse(rawTarget);
        var hostHeader = request.Headers.Host.Count switch
        {
            0 => null,
            1 => request.Headers.Host[0],
            _ => string.Empty, // several Host headers: malformed
        };
        var authority = hostHeader is null ? parsedTarget?.AbsoluteAuthority : RequestAuthority.Parse(hostHeader);
        if (parsedTarget is null || authority is null)
        {
            await ProxyResponses.WriteBadRequestAsync(context, ProxyResponses.MissingHostMessage).ConfigureAwait(false);
            return;
        }

        var listenerPort = context.Connection.LocalPort;
        var upstreamPort = isTls ? 443 : 80;
        var sentPort = authority.Port ?? parsedTarget.AbsoluteAuthority?.Port;
        var url = NetworkLogUrl.Create(isTls, authority.Host, sentPort is { } p && p != listenerPort ? p : upstreamPort, parsedTarget.PathAndQuery);
        var decisionHost = authority.Host.ToLowerInvariant();

        // S1: the URL's authority (absolute-form) or the TLS SNI must name the same host as Host/:authority (PX-6, HS-01).
        var routingHost = parsedTarget.AbsoluteAuthority?.Host;
        var sni = isTls ? context.Features.Get<ITlsHandshakeFeature>()?.HostName : null;
        var mismatch = routingHost is not null && !routingHost.Equals(authority.Host, StringComparison.OrdinalIgnoreCase)
            ? routingHost
            : !string.IsNullOrEmpty(sni) && !sni.Equals(authority.Host, StringComparison.OrdinalIgnoreCase) ? sni : null;
        if (mismatch is not null)
        {
            _log.Write(NetworkLogLines.HostMismatch(method, url, authority.Host, mismatch));
            await ProxyResponses.WriteHostMismatchAsync(context, decisionHost, mismatch, method).ConfigureAwait(false);
            return;
        }

        EgressDecision decision;
        try
        {
            decision = Decide(context, decisionHost, parsedTarget, authority, sentPort, listenerPort, method);
        }
#pragma warning disable CA1031 // Fail closed (PX-20): an unexpected error while deciding blocks the request.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogStageFailure(_logger, "decision", ex.GetType().Name);
            decision = Refuse(decisionHost, parsedTarget.PathAndQuery, method, "The airut network proxy could not evaluate this request and rejected it.");
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var rule = decision.MatchedRule is { } matched ? $"url_prefixes {matched.Host} {matched.Path}" : "-";
            LogDecision(_logger, method, url.Text, decision.Allowed ? "allowed" : "blocked", decision.Reason, rule, decision.Block?.Detail is { } detail ? NetworkLogEscaping.EscapeText(detail) : "-");
        }

        if (!decision.Allowed)
        {
            var block = decision.Block ?? Refuse(decisionHost, parsedTarget.PathAndQuery, method, "Blocked.").Block!;
            _log.Write(NetworkLogLines.Access(NetworkLogVerdict.Blocked, method, url, StatusCodes.Status403Forbidden));
            await ProxyResponses.WriteBlockAsync(context, block).ConfigureAwait(false);
            return;
        }

        var proxied = new ProxiedRequest
        {
            Method = method,
            Scheme = isTls ? "https" : "http",
            Host = decisionHost,
            Port = upstreamPort,
            PathAndQuery = parsedTarget.PathAndQuery,
            Headers = CollectHeaders(request.Headers, hostHeader ?? FormatAuthority(authority)),
            Body = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false ? null : request.Body,
            ContentLength = request.ContentLength,
        };

        // S3: request-body filters, before any real credential is in the request and before any upstream connection.
        BodyFilterOutcome filtered;
        try
        {
            filtered = await _bodyFilters.RunAsync(
                new BodyFilterRequest(decisionHost, parsedTarget.PathAndQuery, PercentDecoding.DecodeOnce(parsedTarget.PathAndQuery), decision.MatchedRule),
                proxied,
                context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Only a client that left mid-body gets here; anything else is blocked too (PX-20).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                _log.Write(NetworkLogLines.Error(method, url, "client disconnected"));
                return;
            }

            LogStageFailure(_logger, "body filter", ex.GetType().Name);
            filtered = new BodyFilterOutcome(new BlockResponse(BodyFilterPipeline.FilterError, BodyFilterPipeline.FilterErrorMessage), []);
        }

        if (filtered.Block is not null)
        {
            _log.Write(NetworkLogLines.Access(NetworkLogVerdict.Blocked, method, url, StatusCodes.Status403Forbidden, new AccessAnnotations { FilterTags = filtered.Tags }));
            await ProxyResponses.WriteBlockAsync(context, filtered.Block).ConfigureAwait(false);
            return;
        }

        // S4: credentials.
        AccessAnnotations annotations;
        try
        {
            var stage = await ApplyCredentialsAsync(proxied, isTls, method, context.RequestAborted).ConfigureAwait(false);
            annotations = stage.Annotations with { FilterTags = filtered.Tags };
            if (stage.Block is not null)
            {
                _log.Write(NetworkLogLines.Access(NetworkLogVerdict.Blocked, method, url, StatusCodes.Status403Forbidden, annotations));
                await ProxyResponses.WriteBlockAsync(context, stage.Block).ConfigureAwait(false);
                return;
            }
        }
#pragma warning disable CA1031 // Fail closed (PX-20): a credential-stage failure must never forward the request.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                // The client left while its body was being read for signing: a decided request, so an ERROR line.
                _log.Write(NetworkLogLines.Error(method, url, "client disconnected"));
                return;
            }

            LogStageFailure(_logger, "credential", ex.GetType().Name);
            _log.Write(NetworkLogLines.Access(NetworkLogVerdict.Blocked, method, url, StatusCodes.Status403Forbidden));
            await ProxyResponses.WriteBlockAsync(context, Refuse(decisionHost, parsedTarget.PathAndQuery, method, "The airut network proxy could not prepare this request's credentials and rejected it.").Block!).ConfigureAwait(false);
            return;
        }

        // S5 + S6.
        var webSocket = IsWebSocketUpgrade(context);
        ForwardResult result;
        try
        {
            result = await _forwarder.ForwardAsync(context, proxied, webSocket, status =>
                _log.Write(NetworkLogLines.Access(NetworkLogVerdict.Allowed, method, url, status, annotations))).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever failed, the request still gets exactly one terminal line (LOG-14).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogStageFailure(_logger, "forwarding", ex.GetType().Name);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
            else
            {
                context.Abort();
            }

            result = new ForwardResult(null, "internal proxy error while forwarding");
        }

        if (result.AlreadyLogged)
        {
            return;
        }

        _log.Write(result.Status is { } forwarded
            ? NetworkLogLines.Access(NetworkLogVerdict.Allowed, method, url, forwarded, annotations)
            : NetworkLogLines.Error(method, url, result.Error));
    }

    private EgressDecision Decide(HttpContext context, string decisionHost, RequestTarget target, RequestAuthority authority, int? sentPort, int listenerPort, string method)
    {
        // PX-22 hardened / HS-03: the upstream port is always the listener's scheme default, so a port in Host or
        // in the URL that differs from the port the client actually connected to is refused.
        if ((sentPort is { } port && port != listenerPort)
            || (authority.Port is { } hostPort && target.AbsoluteAuthority?.Port is { } urlPort && hostPort != urlPort))
        {
            return Refuse(decisionHost, target.PathAndQuery, method, "This host/path is not in the network allowlist. Explicit ports other than the one connected to are not allowed.");
        }

        var decision = _policy.Evaluate(new EgressRequest(decisionHost, target.PathAndQuery, method, CollectHeaders(context.Request.Headers, null)));
        if (!decision.Allowed)
        {
            return decision;
        }

        var literalRefusal = _ipLiterals.Refusal(decisionHost);
        return literalRefusal is null ? decision : Refuse(decisionHost, target.PathAndQuery, method, literalRefusal);
    }

    private async Task<(BlockResponse? Block, AccessAnnotations Annotations)> ApplyCredentialsAsync(
        ProxiedRequest request, bool isTls, string method, CancellationToken cancellationToken)
    {
        // MS-12 order: AWS re-signing first; a re-signed request is not masked (MS-29, SIG-63).
        // CRED-07 hardened: AWS keys are used only when the upstream leg is TLS.
        var dropped = 0;
        if (_signer is not null && isTls)
        {
            var signing = await _signer.SignAsync(request, cancellationToken).ConfigureAwait(false);
            switch (signing.Outcome)
            {
                case SigningOutcome.Blocked:
                    return (signing.Block ?? Refuse(request.Host, request.PathAndQuery, method, "AWS request refused by the airut network proxy.").Block, AccessAnnotations.None);
                case SigningOutcome.Resigned:
                    return (null, new AccessAnnotations { Masked = 1, Region = Tag(signing.LogAnnotation, "region") });
                case SigningOutcome.Stripped:
                    dropped = int.TryParse(Tag(signing.LogAnnotation, "dropped"), out var n) ? n : 1;
                    break;
            }
        }

        if (_masker is null)
        {
            return (null, new AccessAnnotations { Dropped = dropped });
        }

        // The masker withholds real values itself on plaintext legs (CRED-07) and says so in a note.
        var masking = _masker.Apply(request);
        foreach (var note in masking.Notes)
        {
            _log.Write(NetworkLogLines.Warning(note));
        }

        return (null, new AccessAnnotations { Masked = masking.Masked, Dropped = dropped + masking.Dropped });
    }

    /// <summary>The value of a <c>[name: value]</c> tag in the signer's annotation, or null.</summary>
    private static string? Tag(string? annotation, string name)
    {
        if (annotation is null)
        {
            return null;
        }

        var start = annotation.IndexOf("[" + name + ": ", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += name.Length + 3;
        var end = annotation.IndexOf(']', start);
        return end < 0 ? null : annotation[start..end];
    }

    private static EgressDecision Refuse(string host, string path, string method, string message) =>
        new(false, EgressReason.NotAllowlisted, null, new BlockResponse(BlockResponse.AllowlistError, message) { Host = host, Path = path, Method = method });

    private static List<HeaderField> CollectHeaders(IHeaderDictionary headers, string? host)
    {
        var list = new List<HeaderField>(headers.Count + 1);
        foreach (var (name, values) in headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                list.Add(new HeaderField(name, value ?? string.Empty));
            }
        }

        if (host is not null)
        {
            list.Insert(0, new HeaderField("Host", host));
        }

        return list;
    }

    private static string FormatAuthority(RequestAuthority authority)
    {
        var host = authority.Host.Contains(':', StringComparison.Ordinal) ? $"[{authority.Host}]" : authority.Host;
        return authority.Port is { } port ? $"{host}:{port}" : host;
    }

    private static bool HasForbiddenHeaderCharacters(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            if (name.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                return true;
            }

            foreach (var value in values)
            {
                if (value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasConnectionSpecificField(IHeaderDictionary headers) =>
        headers.ContainsKey("Connection") || headers.ContainsKey("Keep-Alive") || headers.ContainsKey("Proxy-Connection")
        || headers.ContainsKey("Transfer-Encoding") || headers.ContainsKey("Upgrade")
        || (headers.TryGetValue("TE", out var te) && !(te.Count == 1 && string.Equals(te[0], "trailers", StringComparison.OrdinalIgnoreCase)));

    private static bool IsWebSocketUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        && HttpMethods.IsGet(context.Request.Method)
        && context.Request.Headers.Upgrade.Count == 1
        && string.Equals(context.Request.Headers.Upgrade[0], "websocket", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Egress decision {Method} {Url}: {Verdict} reason={Reason} rule={Rule} detail={Detail}")]
    private static partial void LogDecision(ILogger logger, string method, string url, string verdict, EgressReason reason, string rule, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Stage} stage failed with {ExceptionType}; the request was blocked")]
    private static partial void LogStageFailure(ILogger logger, string stage, string exceptionType);
}
