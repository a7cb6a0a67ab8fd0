using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Docker.Api;

namespace Airut.Sandbox.Docker;

/// <summary>
/// A small typed HTTP client for the Docker Engine API: transport (unix socket or plain TCP),
/// API version negotiation and the mapping of daemon errors to <see cref="SandboxInfrastructureException"/>.
/// </summary>
internal sealed class DockerEngineClient : IDisposable
{
    /// <summary>The newest API version whose semantics this client relies on.</summary>
    /// <remarks>
    /// Docker 29 refuses versions below 1.44, and 1.44 changes nothing this client sends, so it is the ceiling.
    /// The daemon's own version wins when it is older (dockerd 20.10 speaks 1.41).
    /// </remarks>
    internal static readonly Version MaxApiVersion = new(1, 44);

    /// <summary>The oldest API version that has every field this client sends (Docker 19.03).</summary>
    internal static readonly Version MinApiVersion = new(1, 40);

    private readonly HttpClient _http;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private string? _apiPrefix;

    public DockerEngineClient(DockerEndpoint endpoint)
    {
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (endpoint.UnixSocketPath is { } socketPath)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(socketPath, cancellationToken);
        }

        _http = new HttpClient(handler)
        {
            BaseAddress = endpoint.UnixSocketPath is null
                ? new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{endpoint.TcpHost}:{endpoint.TcpPort}/"))
                : new Uri("http://docker/"),

            // Attach, wait, build and save stream for as long as the work takes; callers bound them with tokens.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public DockerEndpoint Endpoint { get; }

    /// <summary>The daemon's version, asked without a version prefix (as the API requires for negotiation).</summary>
    public async Task<VersionResponse> GetVersionAsync(CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, "/version", null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "version", cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, DockerJsonContext.Default.VersionResponse, "version", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version prefix (<c>/v1.41</c>) negotiated with the daemon on first use.</summary>
    public async Task<string> GetApiPrefixAsync(CancellationToken cancellationToken)
    {
        if (_apiPrefix is { } known)
        {
            return known;
        }

        await _negotiation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_apiPrefix is null)
            {
                var version = await GetVersionAsync(cancellationToken).ConfigureAwait(false);
                _apiPrefix = "/v" + NegotiateApiVersion(version).ToString(2);
            }

            return _apiPrefix;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    /// <summary>min(daemon's API version, ours), refused when the daemon cannot serve what we send.</summary>
    internal static Version NegotiateApiVersion(VersionResponse version)
    {
        if (!Version.TryParse(version.ApiVersion, out var server))
        {
            throw new SandboxInfrastructureException($"Docker reported no usable API version ('{version.ApiVersion}').");
        }

        var chosen = server < MaxApiVersion ? server : MaxApiVersion;
        if (chosen < MinApiVersion
            || (Version.TryParse(version.MinApiVersion, out var serverMin) && chosen < serverMin))
        {
            throw new SandboxInfrastructureException(
                $"Docker {version.Version} speaks API {version.MinApiVersion ?? "?"}..{version.ApiVersion}; " +
                $"Airut.Sandbox needs an API version between {MinApiVersion.ToString(2)} and {MaxApiVersion.ToString(2)}.");
        }

        return chosen;
    }

    /// <summary>
    /// Sends a versioned request. Non-success statuses throw with the daemon's message, except those in
    /// <paramref name="tolerated"/>, which are returned for the caller to interpret.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        string operation,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        params HttpStatusCode[] tolerated)
    {
        var prefix = await GetApiPrefixAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendRawAsync(method, prefix + pathAndQuery, content, completion, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && !tolerated.Contains(response.StatusCode))
        {
            using (response)
            {
                await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    /// <summary>Sends a versioned request with a JSON body and reads a JSON answer.</summary>
    public async Task<TResponse> SendJsonAsync<TRequest, TResponse>(
        HttpMethod method,
        string pathAndQuery,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        string operation,
        CancellationToken cancellationToken)
    {
        using var content = JsonBody(body, requestType);
        using var response = await SendAsync(method, pathAndQuery, content, operation, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseType, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GETs a JSON resource; null when the daemon answers 404.</summary>
    public async Task<T?> GetJsonOrDefaultAsync<T>(string pathAndQuery, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, null, operation, cancellationToken, tolerated: HttpStatusCode.NotFound).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadJsonAsync(response, type, operation, cancellationToken).ConfigureAwait(false);
    }

    public static HttpContent JsonBody<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                    ?? throw new SandboxInfrastructureException($"Docker {operation}: empty answer from the daemon.");
            }
        }
        catch (JsonException ex)
        {
            throw new SandboxInfrastructureException($"Docker {operation}: the daemon's answer is not the expected JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The filters query value for "carries all these labels".</summary>
    public static string LabelFilter(IReadOnlyDictionary<string, string> labels)
    {
        var filters = new Dictionary<string, string[]>
        {
            ["label"] = labels.Select(pair => pair.Key + "=" + pair.Value).ToArray(),
        };
        return Uri.EscapeDataString(JsonSerializer.Serialize(filters, DockerJsonContext.Default.DictionaryStringStringArray));
    }

    /// <summary>Escapes an image reference for a path, keeping its <c>/</c> and <c>:</c> separators.</summary>
    public static string EscapeReference(string reference)
        => string.Join('/', reference.Split('/').Select(segment => Uri.EscapeDataString(segment).Replace("%3A", ":", StringComparison.Ordinal)));

    public void Dispose()
    {
        _http.Dispose();
        _negotiation.Dispose();
    }

    private async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError || ex.InnerException is SocketException)
        {
            throw new SandboxInfrastructureException(NotRunningMessage(ex.InnerException?.Message ?? ex.Message), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SandboxInfrastructureException($"Docker at {Endpoint}: {method} {pathAndQuery} failed: {ex.Message}", ex);
        }
    }

    private string NotRunningMessage(string detail)
        => Endpoint.UnixSocketPath is { } path
            ? $"dockerd is not running at {Endpoint} ({detail}); start it with `dockerd --host {Endpoint}` (as root), or set DOCKER_HOST to a running daemon. Socket: {path}"
            : $"dockerd is not reachable at {Endpoint} ({detail}); start it listening there, or set DOCKER_HOST to a running daemon.";

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        string? message = null;
        try
        {
            message = JsonSerializer.Deserialize(body, DockerJsonContext.Default.ErrorResponse)?.Message;
        }
        catch (JsonException)
        {
            // Some proxies and very old daemons answer in plain text; the raw body is the best message then.
        }

        message ??= Encoding.UTF8.GetString(body).Trim();
        throw new SandboxInfrastructureException(
            string.Create(CultureInfo.InvariantCulture, $"Docker {operation} failed (HTTP {(int)response.StatusCode}): {message}"));
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string socketPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(socketPath))
        {
            throw new SocketException((int)SocketError.AddressNotAvailable, $"no socket at {socketPath}");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
