namespace Airut.Sandbox.Abstractions.Credentials;

/// <summary>
/// A request on its way through the proxy's credential stage. The masker and the signer rewrite it in
/// place: headers, the request target (presigned URLs) and the body (aws-chunked, deferred payload hash).
/// </summary>
public sealed record ProxiedRequest
{
    /// <summary>The method token.</summary>
    public required string Method { get; init; }

    /// <summary><c>http</c> or <c>https</c>: the scheme the client used towards the proxy.</summary>
    public required string Scheme { get; init; }

    /// <summary>The decision host (lower-case, no port).</summary>
    public required string Host { get; init; }

    /// <summary>The port the request goes to upstream.</summary>
    public required int Port { get; init; }

    /// <summary>The request target, raw (not decoded); the signer may rewrite the query.</summary>
    public required string PathAndQuery { get; set; }

    /// <summary>Header entries in arrival order, duplicates kept. Rewritten in place.</summary>
    public required List<HeaderField> Headers { get; init; }

    /// <summary>The body, or null when there is none. The signer may replace it with a transforming stream.</summary>
    public Stream? Body { get; set; }

    /// <summary>The body length when known.</summary>
    public long? ContentLength { get; set; }
}
