using System.Buffers;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Egress;
using Microsoft.AspNetCore.Http;

namespace Airut.Sandbox.Proxy.Http;

/// <summary>The responses the proxy makes itself (PX-13, PX-4): JSON 403 bodies and the plain 400.</summary>
public static class ProxyResponses
{
    /// <summary>PX-13b message.</summary>
    public const string ConnectMessage = "CONNECT tunneling is not allowed. The network sandbox does not support HTTP proxy tunneling.";

    /// <summary>PX-13c message.</summary>
    public const string HostMismatchMessage = "Host mismatch: Host header and URL host disagree. This request has been blocked to prevent allowlist bypass.";

    /// <summary>PX-4 body for a request without a usable Host.</summary>
    public const string MissingHostMessage = "HTTP request has no host header, destination unknown.";

    /// <summary>Writes a 403 with a policy (or signer) block body.</summary>
    public static Task WriteBlockAsync(HttpContext context, BlockResponse block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return WriteJsonAsync(context, StatusCodes.Status403Forbidden, block.ToJsonUtf8());
    }

    /// <summary>PX-13b: the CONNECT refusal.</summary>
    public static Task WriteConnectBlockedAsync(HttpContext context, string hostAndPort) =>
        WriteJsonAsync(context, StatusCodes.Status403Forbidden, Json(w =>
        {
            w.WriteString("error", BlockResponse.AllowlistError);
            w.WriteString("host", hostAndPort);
            w.WriteString("method", "CONNECT");
            w.WriteString("message", ConnectMessage);
        }));

    /// <summary>PX-13c: the host mismatch refusal.</summary>
    public static Task WriteHostMismatchAsync(HttpContext context, string decisionHost, string routingHost, string method) =>
        WriteJsonAsync(context, StatusCodes.Status403Forbidden, Json(w =>
        {
            w.WriteString("error", BlockResponse.AllowlistError);
            w.WriteString("host", decisionHost);
            w.WriteString("url_host", routingHost);
            w.WriteString("method", method);
            w.WriteString("message", HostMismatchMessage);
        }));

    /// <summary>A plain-text 400 (malformed request; never logged, LOG-14).</summary>
    public static Task WriteBadRequestAsync(HttpContext context, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
