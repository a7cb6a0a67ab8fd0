using System.Text.Json.Serialization;

namespace Airut.Sandbox.Abstractions.Proxy;

/// <summary>
/// The one document the host hands the <c>airut-proxy</c> program: where to listen, what to allow, which
/// credentials to swap or re-sign, the per-run CA, the network log and how upstream names resolve.
/// Its JSON form (snake_case keys) is read and validated by <c>ProxyConfigurationReader</c>; a document that
/// fails validation never starts a proxy.
/// </summary>
public sealed record ProxyConfiguration
{
    /// <summary>Listener addresses.</summary>
    [JsonPropertyName("listen")]
    public required ProxyListeners Listen { get; init; }

    /// <summary>The allowlist in its serialised form (network.md AL-14). Empty blocks everything.</summary>
    [JsonPropertyName("allowlist")]
    public required ProxyAllowlist Allowlist { get; init; }

    /// <summary>Masked secrets: surrogate → real value, with scopes and headers.</summary>
    [JsonPropertyName("masked_secrets")]
    public IReadOnlyList<ProxyMaskedSecret> MaskedSecrets { get; init => field = value ?? []; } = [];

    /// <summary>AWS signing credentials: surrogates, real keys and scopes.</summary>
    [JsonPropertyName("signing_credentials")]
    public IReadOnlyList<ProxySigningCredential> SigningCredentials { get; init => field = value ?? []; } = [];

    /// <summary>PEM file of the per-run CA certificate.</summary>
    [JsonPropertyName("ca_certificate_path")]
    public required string CaCertificatePath { get; init; }

    /// <summary>PEM file of the per-run CA private key.</summary>
    [JsonPropertyName("ca_key_path")]
    public required string CaKeyPath { get; init; }

    /// <summary>The network log file (appended to), or null for no file logging (LOG-1).</summary>
    [JsonPropertyName("network_log_path")]
    public string? NetworkLogPath { get; init; }

    /// <summary>Static upstream name map (additions.md <c>upstream_hosts</c>), in document order.</summary>
    [JsonPropertyName("upstream_hosts")]
    public IReadOnlyList<ProxyUpstreamHost> UpstreamHosts { get; init => field = value ?? []; } = [];

    /// <summary>When true, names missing from <see cref="UpstreamHosts"/> are never looked up (502).</summary>
    [JsonPropertyName("upstream_hosts_only")]
    public bool UpstreamHostsOnly { get; init; }

    /// <summary>Extra PEM roots trusted for upstream TLS besides the system roots; null for none.</summary>
    [JsonPropertyName("upstream_ca_bundle_path")]
    public string? UpstreamCaBundlePath { get; init; }

    /// <summary>The proxy's own addresses (IP literals); requests routed to them are refused (no self-loops).</summary>
    [JsonPropertyName("proxy_addresses")]
    public IReadOnlyList<string> ProxyAddresses { get; init => field = value ?? []; } = [];
}

/// <summary>Listener endpoints as <c>address:port</c> (<c>0.0.0.0:443</c>, <c>[::1]:0</c>). Port 0 picks a free port.</summary>
public sealed record ProxyListeners
{
    /// <summary>Plaintext HTTP listeners (production: port 80).</summary>
    [JsonPropertyName("http")]
    public IReadOnlyList<string> Http { get; init => field = value ?? []; } = [];

    /// <summary>TLS listeners (production: port 443).</summary>
    [JsonPropertyName("https")]
    public IReadOnlyList<string> Https { get; init => field = value ?? []; } = [];

    /// <summary>UDP DNS responder listeners (production: port 53).</summary>
    [JsonPropertyName("dns")]
    public IReadOnlyList<string> Dns { get; init => field = value ?? []; } = [];

    /// <summary>The address every DNS A query is answered with; null when no DNS listener is configured.</summary>
    [JsonPropertyName("dns_answer")]
    public string? DnsAnswer { get; init; }
}

/// <summary>The allowlist as JSON (AL-14).</summary>
public sealed record ProxyAllowlist
{
    /// <summary>Host patterns allowed for every path and method.</summary>
    [JsonPropertyName("domains")]
    public IReadOnlyList<string> Domains { get; init => field = value ?? []; } = [];

    /// <summary>Host + path (+ methods, + GraphQL) entries.</summary>
    [JsonPropertyName("url_prefixes")]
    public IReadOnlyList<ProxyUrlPrefix> UrlPrefixes { get; init => field = value ?? []; } = [];
}

/// <summary>One <c>url_prefixes</c> entry as JSON.</summary>
public sealed record ProxyUrlPrefix
{
    /// <summary>Host pattern.</summary>
    [JsonPropertyName("host")]
    public required string Host { get; init; }

    /// <summary>Path pattern; empty matches every path.</summary>
    [JsonPropertyName("path")]
    public string Path { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Allowed methods; empty admits every method.</summary>
    [JsonPropertyName("methods")]
    public IReadOnlyList<string> Methods { get; init => field = value ?? []; } = [];

    /// <summary>The GraphQL operation filter, when the entry has one.</summary>
    [JsonPropertyName("graphql")]
    public ProxyGraphQlRules? GraphQl { get; init; }
}

/// <summary>The <c>graphql</c> block of an entry as JSON.</summary>
public sealed record ProxyGraphQlRules
{
    /// <summary>Allowed query names.</summary>
    [JsonPropertyName("queries")]
    public IReadOnlyList<string> Queries { get; init => field = value ?? []; } = [];

    /// <summary>Allowed mutation names.</summary>
    [JsonPropertyName("mutations")]
    public IReadOnlyList<string> Mutations { get; init => field = value ?? []; } = [];

    /// <summary>Allowed subscription names.</summary>
    [JsonPropertyName("subscriptions")]
    public IReadOnlyList<string> Subscriptions { get; init => field = value ?? []; } = [];
}

/// <summary>One masked secret as the proxy needs it. <see cref="ToString"/> never shows the real value.</summary>
public sealed record ProxyMaskedSecret
{
    /// <summary>The container variable name (a label for logs and messages).</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The surrogate the container sees.</summary>
    [JsonPropertyName("surrogate")]
    public required string Surrogate { get; init; }

    /// <summary>The real value.</summary>
    [JsonPropertyName("value")]
    public required string Value { get; init; }

    /// <summary>Host patterns where the real value may be sent.</summary>
    [JsonPropertyName("scopes")]
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Header name patterns the surrogate is replaced in.</summary>
    [JsonPropertyName("headers")]
    public required IReadOnlyList<string> Headers { get; init; }

    /// <summary>When false, credentials the proxy did not issue are stripped from exact header names.</summary>
    [JsonPropertyName("allow_foreign_credentials")]
    public bool AllowForeignCredentials { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"ProxyMaskedSecret {{ Name = {Name} }}";
}

/// <summary>One AWS signing credential as the proxy needs it. <see cref="ToString"/> never shows a key.</summary>
public sealed record ProxySigningCredential
{
    /// <summary>The <c>signing_credentials</c> label.</summary>
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    /// <summary>The surrogate access key id the container sees.</summary>
    [JsonPropertyName("surrogate_access_key_id")]
    public required string SurrogateAccessKeyId { get; init; }

    /// <summary>The surrogate secret access key the container sees.</summary>
    [JsonPropertyName("surrogate_secret_access_key")]
    public required string SurrogateSecretAccessKey { get; init; }

    /// <summary>The surrogate session token, when the credential has a session token.</summary>
    [JsonPropertyName("surrogate_session_token")]
    public string? SurrogateSessionToken { get; init; }

    /// <summary>The real access key id.</summary>
    [JsonPropertyName("access_key_id")]
    public required string AccessKeyId { get; init; }

    /// <summary>The real secret access key.</summary>
    [JsonPropertyName("secret_access_key")]
    public required string SecretAccessKey { get; init; }

    /// <summary>The real session token, or null.</summary>
    [JsonPropertyName("session_token")]
    public string? SessionToken { get; init; }

    /// <summary>Host patterns where re-signing happens.</summary>
    [JsonPropertyName("scopes")]
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"ProxySigningCredential {{ Label = {Label} }}";
}

/// <summary>One <c>upstream_hosts</c> entry: allowed requests to matching names go to <see cref="Address"/>.</summary>
public sealed record ProxyUpstreamHost
{
    /// <summary>Host name or glob (allowlist host semantics).</summary>
    [JsonPropertyName("pattern")]
    public required string Pattern { get; init; }

    /// <summary>IPv4 or IPv6 literal.</summary>
    [JsonPropertyName("address")]
    public required string Address { get; init; }

    /// <summary>
    /// Upstream port to use instead of the request's (80/443). Not a <c>sandbox.yaml</c> key: it lets a test
    /// or a port-mapped mirror stand in for a name on loopback.
    /// </summary>
    [JsonPropertyName("port")]
    public int? Port { get; init; }
}
