using System.Globalization;
using System.Security.Cryptography;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Aws;

/// <summary>
/// Re-signs SigV4/SigV4A requests made with a surrogate key id for hosts in that credential's scopes
/// (credentials-cli.md §3): header auth, presigned URLs, deferred payload hashing and aws-chunked bodies.
/// On signing hosts it refuses AWS credentials the proxy did not issue (AWS-06), presigned lifetimes above the cap
/// (AWS-04) and credential-minting services (AWS-05). Nothing it logs or returns contains a real value.
/// </summary>
/// <remarks>Log annotations: <c>[masked: 1] [region: R]</c> when re-signed (region left out when empty, SIG-63),
/// <c>[dropped: N]</c> when foreign credentials were stripped, <c>[withheld: plaintext http]</c> when a scoped request
/// goes over plaintext http and keeps its surrogate (CRED-07).</remarks>
public sealed partial class AwsRequestSigner : IRequestSigner
{
    private const string AuthorizationHeader = "Authorization";
    private const string SecurityTokenHeader = "X-Amz-Security-Token";
    private const string DateHeader = "X-Amz-Date";
    private const string ContentSha256Header = "X-Amz-Content-Sha256";

    // SIG-50: the payload hashes whose body is aws-chunked with chained chunk signatures.
    private static readonly HashSet<string> StreamingPayloads = new(StringComparer.Ordinal)
    {
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
    };

    private readonly AwsCredentialMap _map;
    private readonly AwsSigningOptions _options;
    private readonly ILogger<AwsRequestSigner> _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the signer over the surrogate map.</summary>
    public AwsRequestSigner(AwsCredentialMap map, AwsSigningOptions options, ILogger<AwsRequestSigner> logger, TimeProvider time)
    {
        _map = map;
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <inheritdoc />
    public ValueTask<SigningResult> SignAsync(ProxiedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Where(h => IsHeader(h, AuthorizationHeader) && !string.IsNullOrWhiteSpace(h.Value)).ToList();
        return authorization.Count > 0
            ? SignHeaderAuthAsync(request, authorization, cancellationToken)
            : SignPresignedAsync(request, cancellationToken);
    }

    private async ValueTask<SigningResult> SignHeaderAuthAsync(ProxiedRequest request, List<HeaderField> authorization, CancellationToken cancellationToken)
    {
        if (!authorization.Any(h => AwsAuthorizationHeader.LooksLikeAws(h.Value)))
        {
            return SigningResult.NotApplicable;
        }

        var signingHost = _map.IsSigningHost(request.Host);
        if (authorization.Select(h => h.Value).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            // Surrogate plus attacker Authorization: exactly one credential set may leave, so none does (AWS-06).
            return signingHost
                ? Blocked("aws_ambiguous_credentials", "Several different Authorization headers were sent to an AWS signing host.")
                : SigningResult.NotApplicable;
        }

        var auth = AwsAuthorizationHeader.TryParse(authorization[0].Value);
        if (auth is null || !_map.TryGet(auth.AccessKeyId, out var credential))
        {
            return signingHost ? StripForeign(request) : SigningResult.NotApplicable;
        }

        if (!_map.IsInScope(auth.AccessKeyId, request.Host))
        {
            return SigningResult.NotApplicable;
        }

        if (!IsTls(request))
        {
            return Withheld(request, credential);
        }

        var (path, query) = SplitTarget(request.PathAndQuery);
        if (AwsCanonicalRequest.ParseQuery(query).Any(p =>
                p.Name.Equals(AwsQueryParameters.Credential, StringComparison.OrdinalIgnoreCase)
                || p.Name.Equals(AwsQueryParameters.Signature, StringComparison.OrdinalIgnoreCase)))
        {
            return Blocked("aws_ambiguous_credentials", "A request may not carry both an Authorization header and presigned query credentials.");
        }

        var scope = AwsCredentialScope.Parse(auth.Scope, auth.Algorithm);
        if (IsCredentialMinting(scope, request.Host))
        {
            return MintingBlocked(scope);
        }

        try
        {
            var timestamp = FirstValue(request.Headers, DateHeader)?.Trim() ?? string.Empty;
            WarnOnClockSkew(timestamp);
            var headers = WithRealSessionToken(request.Headers, credential);
            var payloadHash = FirstValue(headers, ContentSha256Header)?.Trim();
            if (payloadHash is null)
            {
                var body = await BufferBodyAsync(request, cancellationToken).ConfigureAwait(false);
                if (body is null)
                {
                    return Blocked("aws_body_too_large", "The request body is too large to compute its AWS payload hash.");
                }

                payloadHash = AwsSignatureAlgorithm.HexSha256(body);
            }

            var signedHeaders = NormalizeSignedHeaders(auth.SignedHeaders.Split(';'));
            var canonical = AwsCanonicalRequest.Build(
                request.Method,
                AwsCanonicalRequest.CanonicalUri(path, scope.IsS3 ? AwsPathCanonicalization.S3 : AwsPathCanonicalization.Normalized),
                AwsCanonicalRequest.CanonicalQuery(query, excludeSignature: false),
                signedHeaders,
                SigningView(headers, request),
                payloadHash);
            var algorithm = CreateAlgorithm(auth.Algorithm, credential, scope);
            var signed = algorithm.SignCanonicalRequest(timestamp, auth.Scope, canonical);
            LogResignedIfEnabled("header", credential, auth.Algorithm, scope, signedHeaders, canonical);
            var value = $"{auth.Algorithm} Credential={credential.Real.AccessKeyId.Reveal}/{auth.Scope}, " +
                        $"SignedHeaders={string.Join(';', signedHeaders)}, Signature={signed.Signature}";
            ReplaceAll(headers, AuthorizationHeader, value);

            if (StreamingPayloads.Contains(payloadHash) && request.Body is not null)
            {
                var resigner = new AwsChunkedResigner(
                    algorithm, timestamp, auth.Scope, signed.Signature, payloadHash.EndsWith("-TRAILER", StringComparison.Ordinal), _options.MaxChunkBytes);
                request.Body = new AwsChunkedResigningStream(request.Body, resigner, _logger);
            }
            else if (algorithm is IDisposable disposable)
            {
                disposable.Dispose();
            }

            request.Headers.Clear();
            request.Headers.AddRange(headers);
            return Resigned(credential, scope);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException or IOException)
        {
            LogResignFailed(ex.GetType().Name);
            return SigningResult.NotApplicable;
        }
    }

    private async ValueTask<SigningResult> SignPresignedAsync(ProxiedRequest request, CancellationToken cancellationToken)
    {
        var (path, query) = SplitTarget(request.PathAndQuery);
        var parameters = AwsCanonicalRequest.ParseQuery(query).ToList();
        var credentials = parameters.Where(p => p.Name.Equals(AwsQueryParameters.Credential, StringComparison.OrdinalIgnoreCase)).ToList();
        if (credentials.Count == 0)
        {
            return SigningResult.NotApplicable;
        }

        // Duplicate or odd-case X-Amz-* parameters: which one an upstream reads is its choice, so none is trusted.
        var signingHost = _map.IsSigningHost(request.Host);
        var amzParameters = parameters.Where(p => p.Name.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase)).ToList();
        if (amzParameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1)
            || credentials[0].Name != AwsQueryParameters.Credential)
        {
            return signingHost
                ? Blocked("aws_ambiguous_credentials", "Duplicate or odd-case X-Amz-* query parameters were sent to an AWS signing host.")
                : SigningResult.NotApplicable;
        }

        var slash = credentials[0].Value.IndexOf('/', StringComparison.Ordinal);
        var keyId = slash > 0 ? credentials[0].Value[..slash] : credentials[0].Value;
        if (!_map.TryGet(keyId, out var credential))
        {
            return signingHost
                ? Blocked("aws_foreign_credentials", "Presigned AWS credentials not issued by the sandbox are not forwarded to AWS signing hosts.")
                : SigningResult.NotApplicable;
        }

        if (slash <= 0 || !_map.IsInScope(keyId, request.Host))
        {
            return SigningResult.NotApplicable;
        }

        if (!IsTls(request))
        {
            return Withheld(request, credential);
        }

        var scopeText = credentials[0].Value[(slash + 1)..];
        var algorithmName = Parameter(parameters, AwsQueryParameters.Algorithm) ?? AwsSignatureAlgorithm.SigV4Name;
        if (algorithmName is not (AwsSignatureAlgorithm.SigV4Name or AwsSignatureAlgorithm.SigV4AName))
        {
            return SigningResult.NotApplicable;
        }

        var scope = AwsCredentialScope.Parse(scopeText, algorithmName);
        if (IsCredentialMinting(scope, request.Host))
        {
            return MintingBlocked(scope);
        }

        if (!int.TryParse(Parameter(parameters, AwsQueryParameters.Expires), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > _options.MaxPresignedExpiresSeconds)
        {
            return Blocked(
                "aws_presign_expires_too_long",
                $"Presigned URLs are re-signed only with X-Amz-Expires of at most {_options.MaxPresignedExpiresSeconds} seconds.");
        }

        try
        {
            var realToken = credential.RealSessionToken;
            var pieces = new List<string>();
            var signatureIndex = -1;
            foreach (var piece in query.Split('&'))
            {
                var eq = piece.IndexOf('=', StringComparison.Ordinal);
                var name = AwsUriEncoding.Decode(eq < 0 ? piece : piece[..eq], plusIsSpace: true);
                if (name == AwsQueryParameters.Credential)
                {
                    pieces.Add(name + "=" + AwsUriEncoding.Encode($"{credential.Real.AccessKeyId.Reveal}/{scopeText}", keepSlash: false));
                }
                else if (name == AwsQueryParameters.SecurityToken && realToken is not null)
                {
                    // The real token goes in, percent-encoded, before canonicalization (SIG-62 [DEV]).
                    pieces.Add(name + "=" + AwsUriEncoding.Encode(realToken, keepSlash: false));
                }
                else if (name == AwsQueryParameters.Signature)
                {
                    signatureIndex = pieces.Count;
                    pieces.Add(string.Empty);
                }
                else
                {
                    pieces.Add(piece);
                }
            }

            if (signatureIndex < 0)
            {
                signatureIndex = pieces.Count;
                pieces.Add(string.Empty);
            }

            var newQuery = string.Join('&', pieces);
            string payloadHash;
            if (scope.IsS3)
            {
                payloadHash = "UNSIGNED-PAYLOAD";
            }
            else
            {
                var body = await BufferBodyAsync(request, cancellationToken).ConfigureAwait(false);
                if (body is null)
                {
                    return Blocked("aws_body_too_large", "The request body is too large to compute its AWS payload hash.");
                }

                payloadHash = AwsSignatureAlgorithm.HexSha256(body);
            }

            var signedHeaders = NormalizeSignedHeaders((Parameter(parameters, AwsQueryParameters.SignedHeaders) ?? "host").Split(';'));
            var canonical = AwsCanonicalRequest.Build(
                request.Method,
                AwsCanonicalRequest.CanonicalUri(path, scope.IsS3 ? AwsPathCanonicalization.S3 : AwsPathCanonicalization.Normalized),
                AwsCanonicalRequest.CanonicalQuery(newQuery, excludeSignature: true),
                signedHeaders,
                SigningView(request.Headers, request),
                payloadHash);
            var algorithm = CreateAlgorithm(algorithmName, credential, scope);
            AwsSignedParts signed;
            try
            {
                signed = algorithm.SignCanonicalRequest(Parameter(parameters, AwsQueryParameters.Date) ?? string.Empty, scopeText, canonical);
            }
            finally
            {
                (algorithm as IDisposable)?.Dispose();
            }

            LogResignedIfEnabled("presigned URL", credential, algorithmName, scope, signedHeaders, canonical);
            pieces[signatureIndex] = AwsQueryParameters.Signature + "=" + signed.Signature;
            request.PathAndQuery = path + "?" + string.Join('&', pieces);
            return Resigned(credential, scope);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException or IOException)
        {
            LogPresignFailed(ex.GetType().Name);
            return SigningResult.NotApplicable;
        }
    }

    private SigningResult StripForeign(ProxiedRequest request)
    {
        var before = request.Headers.Count;
        request.Headers.RemoveAll(h => IsHeader(h, AuthorizationHeader) || IsHeader(h, SecurityTokenHeader));
        var dropped = before - request.Headers.Count;
        LogStripped(request.Host, dropped);
        return new SigningResult(SigningOutcome.Stripped, LogAnnotation: $"[dropped: {dropped}]");
    }

    // CRED-07: real key id, token and a replayable signature never travel over a plaintext upstream leg.
    private SigningResult Withheld(ProxiedRequest request, AwsSurrogateCredential credential)
    {
        LogWithheld(request.Host);
        return new SigningResult(SigningOutcome.NotApplicable, credential.Label, "[withheld: plaintext http]");
    }

    private static bool IsTls(ProxiedRequest request) => string.Equals(request.Scheme, "https", StringComparison.OrdinalIgnoreCase);

    // The DEBUG_SIGNING equivalent (LOG-03): what a person comparing with the upstream's error needs (scope, signed
    // headers, the canonical request's hash, which AWS returns in its SignatureDoesNotMatch body), never the canonical
    // request itself, which holds the real session token, nor any key or signature.
    private void LogResignedIfEnabled(
        string mode, AwsSurrogateCredential credential, string algorithm, AwsCredentialScope scope, List<string> signedHeaders, string canonical)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        var headers = string.Join(';', signedHeaders);
        var hash = AwsSignatureAlgorithm.HexSha256(System.Text.Encoding.UTF8.GetBytes(canonical));
        LogResigned(mode, credential.Label, algorithm, scope.Region.Length > 0 ? scope.Region : "-", scope.Service, scope.Value, headers, hash);
    }

    private static SigningResult Resigned(AwsSurrogateCredential credential, AwsCredentialScope scope) =>
        new(SigningOutcome.Resigned, credential.Label, scope.Region.Length > 0 ? $"[masked: 1] [region: {scope.Region}]" : "[masked: 1]");

    private static SigningResult Blocked(string error, string message) =>
        new(SigningOutcome.Blocked, Block: new BlockResponse(error, message));

    private static SigningResult MintingBlocked(AwsCredentialScope scope) =>
        Blocked(
            "aws_credential_minting_blocked",
            $"Requests to the AWS '{scope.Service}' service are not re-signed: they could mint credentials usable outside the sandbox.");

    private bool IsCredentialMinting(AwsCredentialScope scope, string host)
    {
        if (_options.AllowCredentialMinting)
        {
            return false;
        }

        var firstLabel = host.Split('.')[0];
        return _options.CredentialMintingServices.Contains(scope.Service)
               || _options.CredentialMintingServices.Contains(firstLabel)
               || host.StartsWith("portal.sso.", StringComparison.OrdinalIgnoreCase)
               || host.StartsWith("oidc.", StringComparison.OrdinalIgnoreCase);
    }

    private static AwsSignatureAlgorithm CreateAlgorithm(string name, AwsSurrogateCredential credential, AwsCredentialScope scope) =>
        name == AwsSignatureAlgorithm.SigV4AName
            ? new SigV4ASignature(credential.Real.AccessKeyId.Reveal, credential.Real.SecretAccessKey.Reveal)
            : SigV4Signature.Create(credential.Real.SecretAccessKey.Reveal, scope.Date, scope.Region, scope.Service);

    // SIG-60/62: every X-Amz-Security-Token entry becomes the real token, collapsed to one, before signing.
    private static List<HeaderField> WithRealSessionToken(List<HeaderField> headers, AwsSurrogateCredential credential)
    {
        var copy = new List<HeaderField>(headers);
        if (credential.RealSessionToken is { } token)
        {
            ReplaceAll(copy, SecurityTokenHeader, token);
        }

        return copy;
    }

    // Replaces the first entry named `name` (keeping its spelling and position) and removes the others.
    private static void ReplaceAll(List<HeaderField> headers, string name, string value)
    {
        var first = headers.FindIndex(h => IsHeader(h, name));
        if (first < 0)
        {
            return;
        }

        headers[first] = headers[first] with { Value = value };
        for (var i = headers.Count - 1; i > first; i--)
        {
            if (IsHeader(headers[i], name))
            {
                headers.RemoveAt(i);
            }
        }
    }

    // SIG-22/23: host is the :authority value, else the first Host entry, else the request host; one entry only.
    private static List<HeaderField> SigningView(IReadOnlyList<HeaderField> headers, ProxiedRequest request)
    {
        var authority = FirstValue(headers, ":authority");
        var host = !string.IsNullOrWhiteSpace(authority) ? authority : FirstValue(headers, "Host");
        if (string.IsNullOrWhiteSpace(host))
        {
            var defaultPort = request.Scheme == "https" ? 443 : 80;
            host = request.Port == defaultPort ? request.Host : $"{request.Host}:{request.Port}";
        }

        var view = headers.Where(h => !IsHeader(h, "Host") && !IsHeader(h, ":authority")).ToList();
        view.Add(new HeaderField("host", host));
        return view;
    }

    private static List<string> NormalizeSignedHeaders(IEnumerable<string> names) =>
        names.Select(n => n.Trim().ToLowerInvariant())
            .Select(n => n == ":authority" ? "host" : n)
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    // SIG-40/41: the body is read once, bounded, and replaced by the buffered copy, so the hash covers exactly the
    // bytes that go on the wire. An unreadable body is signed as empty and forwarded (upstream rejects it).
    private async ValueTask<byte[]?> BufferBodyAsync(ProxiedRequest request, CancellationToken cancellationToken)
    {
        if (request.Body is null)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _options.MaxDeferredBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException ex)
        {
            LogUnreadableBody(ex.GetType().Name);
            return [];
        }

        var bytes = buffer.ToArray();
        await request.Body.DisposeAsync().ConfigureAwait(false);
        request.Body = new MemoryStream(bytes, writable: false);
        request.ContentLength = bytes.Length;
        return bytes;
    }

    private void WarnOnClockSkew(string timestamp)
    {
        if (!DateTimeOffset.TryParseExact(timestamp, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var sent))
        {
            return;
        }

        var now = _time.GetUtcNow();
        var drift = (long)Math.Floor(Math.Abs((now - sent).TotalSeconds) / 60);
        if (drift > (long)_options.ClockSkewWarning.TotalMinutes)
        {
            LogClockSkew(timestamp, now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), drift);
        }
    }

    private static (string Path, string Query) SplitTarget(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (target, string.Empty) : (target[..q], target[(q + 1)..]);
    }

    private static string? Parameter(List<(string Name, string Value)> parameters, string name) =>
        parameters.Where(p => p.Name == name).Select(p => p.Value).FirstOrDefault();

    private static string? FirstValue(IEnumerable<HeaderField> headers, string name) =>
        headers.FirstOrDefault(h => IsHeader(h, name))?.Value;

    private static bool IsHeader(HeaderField header, string name) =>
        header.Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Debug, Message = "AWS re-signed ({Mode}) with credential {Label}: algorithm={Algorithm} region={Region} service={Service} scope={Scope} signed_headers={SignedHeaders} canonical_request_sha256={CanonicalRequestHash}")]
    private partial void LogResigned(
        string mode, string label, string algorithm, string region, string service, string scope, string signedHeaders, string canonicalRequestHash);

    [LoggerMessage(Level = LogLevel.Error, Message = "AWS re-signing failed: {ExceptionType}")]
    private partial void LogResignFailed(string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "AWS presigned URL re-signing failed: {ExceptionType}")]
    private partial void LogPresignFailed(string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deferred AWS signing could not read the request body: {ExceptionType}")]
    private partial void LogUnreadableBody(string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WITHHELD AWS re-signing for {Host} (plaintext http upstream; surrogate left in place)")]
    private partial void LogWithheld(string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STRIPPED {Count} foreign AWS credential header(s) for {Host}")]
    private partial void LogStripped(string host, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container clock skew detected: x-amz-date={Sent}, proxy-time={Now} (drift={Drift}m). Upstream rejection likely.")]
    private partial void LogClockSkew(string sent, string now, long drift);
}
