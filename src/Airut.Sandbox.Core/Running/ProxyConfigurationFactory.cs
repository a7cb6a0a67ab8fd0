using System.Globalization;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Core.Credentials;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Composes the one document the proxy reads (<see cref="ProxyConfiguration"/>) from a loaded definition, the run's
/// surrogates and its internal network. Paths are as the proxy container sees them. The proxy listens on its
/// internal address (and on loopback for its own checks), never on the egress side.
/// </summary>
public static class ProxyConfigurationFactory
{
    /// <summary>The CA certificate's file name in the run directory.</summary>
    public const string CaCertificateFileName = "ca.crt";

    /// <summary>The CA key's file name in the run directory.</summary>
    public const string CaKeyFileName = "ca.key";

    /// <summary>The copied upstream CA bundle's file name in the run directory.</summary>
    public const string UpstreamCaBundleFileName = "upstream-ca.pem";

    /// <summary>Builds the document.</summary>
    /// <param name="definition">The loaded definition (allowlist, upstream settings).</param>
    /// <param name="maskedSecrets">The masked secrets' surrogates.</param>
    /// <param name="signingCredentials">The signing credentials' surrogates.</param>
    /// <param name="network">The run's internal network.</param>
    /// <param name="withNetworkLog">Whether the network log file is mounted.</param>
    public static ProxyConfiguration Create(
        SandboxDefinition definition,
        SurrogateReplacementMap maskedSecrets,
        IReadOnlyList<AwsSurrogateCredential> signingCredentials,
        InternalNetwork network,
        bool withNetworkLog)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(maskedSecrets);
        ArgumentNullException.ThrowIfNull(signingCredentials);
        ArgumentNullException.ThrowIfNull(network);
        var config = definition.Configuration;
        var address = network.ProxyAddress.ToString();
        string Endpoint(string host, int port) => string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

        return new ProxyConfiguration
        {
            Listen = new ProxyListeners
            {
                Http = [Endpoint(address, 80), Endpoint("127.0.0.1", 80)],
                Https = [Endpoint(address, 443), Endpoint("127.0.0.1", 443)],
                Dns = [Endpoint(address, 53)],
                DnsAnswer = address,
            },
            Allowlist = new ProxyAllowlist
            {
                Domains = definition.Allowlist.Domains,
                UrlPrefixes = definition.Allowlist.UrlPrefixes.Select(rule => new ProxyUrlPrefix
                {
                    Host = rule.Host,
                    Path = rule.Path,
                    Methods = rule.Methods,
                    GraphQl = rule.GraphQl is null
                        ? null
                        : new ProxyGraphQlRules { Queries = rule.GraphQl.Queries, Mutations = rule.GraphQl.Mutations, Subscriptions = rule.GraphQl.Subscriptions },
                }).ToList(),
            },
            MaskedSecrets = maskedSecrets.Entries.Select(entry => new ProxyMaskedSecret
            {
                Name = entry.EnvName,
                Surrogate = entry.Surrogate,
                Value = entry.Secret.Value.Reveal,
                Scopes = entry.Secret.Scopes,
                Headers = entry.Secret.Headers,
                AllowForeignCredentials = entry.Secret.AllowForeignCredentials,
            }).ToList(),
            SigningCredentials = signingCredentials.Select(credential => new ProxySigningCredential
            {
                Label = credential.Label,
                SurrogateAccessKeyId = credential.SurrogateAccessKeyId,
                SurrogateSecretAccessKey = credential.SurrogateSecretAccessKey,
                SurrogateSessionToken = credential.SurrogateSessionToken,
                AccessKeyId = credential.Real.AccessKeyId.Reveal,
                SecretAccessKey = credential.Real.SecretAccessKey.Reveal,
                SessionToken = credential.RealSessionToken,
                Scopes = credential.Real.Scopes,
            }).ToList(),
            CaCertificatePath = ProxyContainerSpecFactory.RunDirectoryPath + "/" + CaCertificateFileName,
            CaKeyPath = ProxyContainerSpecFactory.RunDirectoryPath + "/" + CaKeyFileName,
            NetworkLogPath = withNetworkLog ? ProxyContainerSpecFactory.NetworkLogPath : null,
            UpstreamHosts = (config.UpstreamHosts ?? []).Select(h => new ProxyUpstreamHost { Pattern = h.Pattern, Address = h.Address.ToString() }).ToList(),
            UpstreamHostsOnly = config.UpstreamHostsOnly,
            UpstreamCaBundlePath = config.UpstreamCaBundlePath is null ? null : ProxyContainerSpecFactory.RunDirectoryPath + "/" + UpstreamCaBundleFileName,
            ProxyAddresses = [address],
        };
    }
}
