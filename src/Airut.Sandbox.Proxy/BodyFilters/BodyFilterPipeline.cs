using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Core.NetworkLog;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>
/// Stage S3 of PX-5 (OPT-6): runs the filters that apply to an allowed request, in order, before any credential
/// is injected and before any upstream connection exists. The body is buffered only when a filter applies, and
/// then at most one byte past the largest cap of those filters, so a longer body is refused without being held
/// whole. Each filter sees the body as earlier filters left it. Whatever goes wrong (a gate or a filter throws,
/// the body cannot be read, it has a <c>Content-Encoding</c>) becomes a 403 <c>filter_error</c> (PX-13e): a
/// request is never forwarded uninspected, nor with part of its body.
/// </summary>
public sealed partial class BodyFilterPipeline
{
    /// <summary>The error code of a filter that failed (PX-13e).</summary>
    public const string FilterError = "filter_error";

    /// <summary>The message of a filter that failed (PX-13e).</summary>
    public const string FilterErrorMessage = "The airut network proxy could not inspect this request body and rejected it.";

    private const int ReadChunkBytes = 64 * 1024;

    private readonly IReadOnlyList<IRequestBodyFilter> _filters;
    private readonly ILogger _logger;

    /// <summary>Creates the pipeline; <paramref name="filters"/> run in the order given.</summary>
    public BodyFilterPipeline(IReadOnlyList<IRequestBodyFilter> filters, ILogger<BodyFilterPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(filters);
        _filters = filters;
        _logger = logger;
    }

    /// <summary>
    /// Runs the pipeline. When a filter applied and nothing blocked, <paramref name="proxied"/> gets the buffered
    /// (possibly rewritten) body with its length, and loses <c>Transfer-Encoding</c>.
    /// </summary>
    /// <remarks>Never throws for a filter's or the body's sake; an exception escapes only when
    /// <paramref name="cancellationToken"/> was cancelled (the client went away while its body was being read).</remarks>
    public async Task<BodyFilterOutcome> RunAsync(BodyFilterRequest request, ProxiedRequest proxied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(proxied);
        var applicable = new List<IRequestBodyFilter>(_filters.Count);
        foreach (var filter in _filters)
        {
            try
            {
                if (filter.AppliesTo(request))
                {
                    applicable.Add(filter);
                }
            }
#pragma warning disable CA1031 // Fail closed (OPT-6): a gate that throws blocks the request.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return Failed(filter, ex, []);
            }
        }

        if (applicable.Count == 0)
        {
            return BodyFilterOutcome.NotFiltered;
        }

        ReadOnlyMemory<byte> body;
        try
        {
            body = await ReadBodyAsync(proxied, applicable.Max(f => f.MaxBodyBytes), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail closed (OPT-6): an unreadable or encoded body blocks the request.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return Failed(applicable[0], ex, []);
        }

        var tags = new List<FilterTag>();
        foreach (var filter in applicable)
        {
            BodyFilterResult result;
            try
            {
                result = filter.Apply(request, body);
            }
#pragma warning disable CA1031 // Fail closed (OPT-6): a filter that throws blocks the request.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return Failed(filter, ex, tags);
            }

            if (result.Tag is not null)
            {
                tags.Add(new FilterTag(filter.Name, result.Tag));
            }

            switch (result.Action)
            {
                case BodyFilterAction.Block:
                    return new BodyFilterOutcome(new BlockResponse(result.Error ?? FilterError, result.Message ?? FilterErrorMessage, result.Detail), tags);
                case BodyFilterAction.Rewrite:
                    body = result.Body;
                    break;
            }
        }

        if (proxied.Body is not null || body.Length > 0)
        {
            proxied.Body = new MemoryStream(body.ToArray(), writable: false);
            proxied.ContentLength = body.Length;
            ReframeHeaders(proxied.Headers, body.Length);
        }

        return new BodyFilterOutcome(null, tags);
    }

    private BodyFilterOutcome Failed(IRequestBodyFilter filter, Exception exception, List<FilterTag> tags)
    {
        // The exception message is left out on purpose: it may quote the body, and bodies can carry secrets.
        var type = exception.GetType().Name;
        LogFilterFailure(_logger, filter.Name, type);
        tags.Add(new FilterTag(filter.Name, $"<error: {type}>"));
        return new BodyFilterOutcome(new BlockResponse(FilterError, FilterErrorMessage, $"<{filter.Name}: {type}>"), tags);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(ProxiedRequest proxied, int cap, CancellationToken cancellationToken)
    {
        foreach (var header in proxied.Headers)
        {
            if (header.Name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) && !IsIdentity(header.Value))
            {
                throw new UnsupportedContentEncodingException();
            }
        }

        if (proxied.Body is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var limit = cap + 1L;
        using var buffer = new MemoryStream((int)Math.Min(proxied.ContentLength ?? ReadChunkBytes, limit));
        var chunk = new byte[ReadChunkBytes];
        while (buffer.Length < limit)
        {
            var read = await proxied.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static bool IsIdentity(string value)
    {
        foreach (var coding in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static void ReframeHeaders(List<HeaderField> headers, int length)
    {
        var hadLength = headers.RemoveAll(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) > 0;
        headers.RemoveAll(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
        if (hadLength)
        {
            headers.Add(new HeaderField("Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request-body filter {FilterName} raised {ExceptionType}; blocking request")]
    private static partial void LogFilterFailure(ILogger logger, string filterName, string exceptionType);
}
