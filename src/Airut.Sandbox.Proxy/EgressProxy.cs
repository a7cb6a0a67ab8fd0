using System.Net;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Proxy.BodyFilters;
using Airut.Sandbox.Proxy.BodyFilters.Anthropic;
using Airut.Sandbox.Proxy.BodyFilters.GraphQl;
using Airut.Sandbox.Proxy.Configuration;
using Airut.Sandbox.Proxy.Http;
using Airut.Sandbox.Proxy.Tls;
using Airut.Sandbox.Proxy.Upstream;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography.X509Certificates;

namespace Airut.Sandbox.Proxy;

/// <summary>
/// The HTTP side of the egress proxy composed from a validated <see cref="ProxyConfiguration"/>: leaf minting
/// from the per-run CA, upstream routing and trust, the request pipeline and the Kestrel listeners.
/// </summary>
public sealed class EgressProxy : IAsyncDisposable
{
    private readonly EgressProxyServer _server;
    private readonly UpstreamForwarder _forwarder;
    private readonly LeafCertificateMinter _minter;

    private EgressProxy(EgressProxyServer server, UpstreamForwarder forwarder, LeafCertificateMinter minter)
    {
        _server = server;
        _forwarder = forwarder;
        _minter = minter;
    }

    /// <summary>Bound plaintext endpoints.</summary>
    public IReadOnlyList<IPEndPoint> HttpEndpoints => _server.HttpEndpoints;

    /// <summary>Bound TLS endpoints.</summary>
    public IReadOnlyList<IPEndPoint> HttpsEndpoints => _server.HttpsEndpoints;

    /// <summary>
    /// Starts the listeners of <paramref name="configuration"/>. The credential stages are optional
    /// (null: no re-signing / no masking). Throws <see cref="SandboxConfigurationException"/> when the CA or the
    /// upstream bundle cannot be loaded; nothing is left listening then.
    /// </summary>
    public static async Task<EgressProxy> StartAsync(
        ProxyConfiguration configuration,
        IEgressPolicy policy,
        IRequestSigner? signer,
        ICredentialMasker? masker,
        INetworkLog log,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var minter = LoadMinter(configuration);
        var ownAddresses = configuration.ProxyAddresses.Select(a => UpstreamAddressRules.Canonical(IPAddress.Parse(a))).ToHashSet();
        var map = configuration.UpstreamHosts.Select(h => new UpstreamMapping(new HostPattern(h.Pattern), IPAddress.Parse(h.Address), h.Port)).ToArray();
        var extraRoots = new X509Certificate2Collection();
        if (configuration.UpstreamCaBundlePath is { } bundle)
        {
            try
            {
                extraRoots = UpstreamCertificateValidator.LoadBundle(bundle);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidDataException)
            {
                minter.Dispose();
                throw new SandboxConfigurationException($"cannot load the upstream CA bundle: {ex.Message}", key: "upstream_ca_bundle_path");
            }
        }

        var forwarder = new UpstreamForwarder(
            new UpstreamConnector(map, configuration.UpstreamHostsOnly, ownAddresses),
            new UpstreamCertificateValidator(extraRoots));
        var literalHosts = configuration.Allowlist.Domains.Concat(configuration.Allowlist.UrlPrefixes.Select(r => r.Host));
        var bodyFilters = new BodyFilterPipeline(
            [new GraphQlOperationFilter(), new AnthropicToolDomainFilter(new GetOpenHosts(ProxyConfigurationReader.ToAllowlist(configuration.Allowlist)))],
            loggerFactory.CreateLogger<BodyFilterPipeline>());
        var handler = new ProxyRequestHandler(
            policy, signer, masker, log, forwarder, new IpLiteralRule(literalHosts, ownAddresses), bodyFilters, loggerFactory.CreateLogger<ProxyRequestHandler>());
        try
        {
            var server = await EgressProxyServer.StartAsync(
                [.. configuration.Listen.Http.Select((e, i) => ProxyConfigurationReader.ParseEndpoint(e, "configuration", $"listen.http[{i}]"))],
                [.. configuration.Listen.Https.Select((e, i) => ProxyConfigurationReader.ParseEndpoint(e, "configuration", $"listen.https[{i}]"))],
                handler,
                minter,
                loggerFactory,
                cancellationToken).ConfigureAwait(false);
            return new EgressProxy(server, forwarder, minter);
        }
        catch
        {
            forwarder.Dispose();
            minter.Dispose();
            throw;
        }
    }

    /// <summary>Stops accepting and lets in-flight requests finish within <paramref name="cancellationToken"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _forwarder.Dispose();
        _minter.Dispose();
    }

    private static LeafCertificateMinter LoadMinter(ProxyConfiguration configuration)
    {
        try
        {
            return LeafCertificateMinter.FromPemFiles(configuration.CaCertificatePath, configuration.CaKeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new SandboxConfigurationException($"cannot load the CA certificate and key: {ex.GetType().Name}", key: "ca_certificate_path");
        }
    }
}
