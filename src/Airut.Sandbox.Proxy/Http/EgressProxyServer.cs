using System.Net;
using System.Security.Authentication;
using Airut.Sandbox.Proxy.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Proxy.Http;

/// <summary>
/// The proxy's HTTP engine: Kestrel as the origin server for every name (PX-2). Plaintext listeners speak
/// HTTP/1.1; TLS listeners terminate TLS with a leaf minted for the SNI name (PX-3) and speak HTTP/1.1 and
/// HTTP/2 via ALPN. Every request goes to <see cref="ProxyRequestHandler"/>; no other handler exists on these
/// listeners (ADM-01).
/// </summary>
public sealed class EgressProxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EgressProxyServer(WebApplication app, IReadOnlyList<IPEndPoint> http, IReadOnlyList<IPEndPoint> https)
    {
        _app = app;
        HttpEndpoints = http;
        HttpsEndpoints = https;
    }

    /// <summary>The bound plaintext endpoints (actual ports when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> HttpEndpoints { get; }

    /// <summary>The bound TLS endpoints.</summary>
    public IReadOnlyList<IPEndPoint> HttpsEndpoints { get; }

    /// <summary>Binds every listener and starts serving; returns once all of them accept connections.</summary>
    public static async Task<EgressProxyServer> StartAsync(
        IReadOnlyList<IPEndPoint> httpEndpoints,
        IReadOnlyList<IPEndPoint> httpsEndpoints,
        ProxyRequestHandler handler,
        LeafCertificateMinter minter,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpEndpoints);
        ArgumentNullException.ThrowIfNull(httpsEndpoints);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(minter);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (httpEndpoints.Count + httpsEndpoints.Count == 0)
        {
            throw new ArgumentException("At least one listener is required.", nameof(httpEndpoints));
        }

        // The empty builder reads no appsettings.json and no ASPNETCORE_*/DOTNET_* variables: nothing outside the
        // proxy's own configuration document can add a listener or change a limit.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 200;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(120);
            kestrel.Limits.MaxConcurrentConnections = 4096;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 1024;
            foreach (var endpoint in httpEndpoints)
            {
                kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
            }

            foreach (var endpoint in httpsEndpoints)
            {
                kestrel.Listen(endpoint, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        // A name's first handshake mints its leaf; on a saturated CI runner Kestrel's 10 s default was
                        // seen to cut that off. Only the sandbox's own client can hold a handshake open, and
                        // MaxConcurrentConnections bounds how many.
                        HandshakeTimeout = TimeSpan.FromSeconds(30),
                        ServerCertificateSelector = (connection, name) =>
                            minter.Select(name, (connection?.LocalEndPoint as IPEndPoint)?.Address),
                    });
                });
            }
        });

        var app = builder.Build();
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var http = new List<IPEndPoint>();
        var https = new List<IPEndPoint>();
        foreach (var address in addresses)
        {
            var uri = new Uri(address);
            var endpoint = new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
            (uri.Scheme == Uri.UriSchemeHttps ? https : http).Add(endpoint);
        }

        return new EgressProxyServer(app, http, https);
    }

    /// <summary>Stops accepting, lets in-flight requests finish within <paramref name="cancellationToken"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
