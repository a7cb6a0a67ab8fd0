using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Proxy;

namespace Airut.Sandbox.Proxy.Configuration;

/// <summary>
/// Reads and validates the proxy's configuration document. Any problem is a
/// <see cref="SandboxConfigurationException"/> naming the source, line, column (for JSON errors) and key; the
/// proxy then exits without starting anything. Messages never contain secret values.
/// </summary>
public static class ProxyConfigurationReader
{
    /// <summary>Reads a document from a file path, or from stdin when <paramref name="path"/> is <c>-</c>.</summary>
    public static async Task<ProxyConfiguration> ReadAsync(string path, Stream standardInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(standardInput);
        var source = path == "-" ? "<stdin>" : path;
        byte[] bytes;
        try
        {
            if (path == "-")
            {
                using var buffer = new MemoryStream();
                await standardInput.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }
            else
            {
                bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SandboxConfigurationException($"cannot read the proxy configuration: {ex.Message}", new SourceLocation(source, 1, 1));
        }

        return Parse(bytes, source);
    }

    /// <summary>Parses and validates UTF-8 JSON.</summary>
    public static ProxyConfiguration Parse(ReadOnlySpan<byte> json, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ProxyConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize(json, ProxyConfigurationJsonContext.Default.ProxyConfiguration);
        }
        catch (JsonException ex)
        {
            var location = new SourceLocation(source, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);
            var key = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
            throw new SandboxConfigurationException(
                "not a valid proxy configuration (bad JSON, a wrong type, an unknown key or a missing required key)", location, key);
        }

        if (configuration is null)
        {
            throw new SandboxConfigurationException("the document is empty (null)", new SourceLocation(source, 1, 1));
        }

        Validate(configuration, source);
        return configuration;
    }

    /// <summary>The allowlist as the policy takes it.</summary>
    public static Allowlist ToAllowlist(ProxyAllowlist allowlist)
    {
        ArgumentNullException.ThrowIfNull(allowlist);
        return new Allowlist(
            [.. allowlist.Domains],
            [.. allowlist.UrlPrefixes.Select(rule => new UrlPrefixRule(
                rule.Host,
                rule.Path,
                [.. rule.Methods.Select(m => m.ToUpperInvariant())],
                rule.GraphQl is null ? null : new GraphQlRules([.. rule.GraphQl.Queries], [.. rule.GraphQl.Mutations], [.. rule.GraphQl.Subscriptions])))]);
    }

    /// <summary>Parses <c>address:port</c> (IPv6 in brackets).</summary>
    public static IPEndPoint ParseEndpoint(string text, string source, string key)
    {
        if (string.IsNullOrWhiteSpace(text) || !IPEndPoint.TryParse(text, out var endpoint)
            || !text.Contains(':', StringComparison.Ordinal) || (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && !text.StartsWith('[')))
        {
            throw Error(source, key, $"'{text}' is not an address:port endpoint (IPv6 in brackets)");
        }

        return endpoint;
    }

    private static void Validate(ProxyConfiguration c, string source)
    {
        var listen = c.Listen;
        if (listen.Http.Count + listen.Https.Count == 0)
        {
            throw Error(source, "listen", "at least one http or https listener is required");
        }

        Each(listen.Http, "listen.http", (e, k) => ParseEndpoint(e, source, k));
        Each(listen.Https, "listen.https", (e, k) => ParseEndpoint(e, source, k));
        Each(listen.Dns, "listen.dns", (e, k) => ParseEndpoint(e, source, k));
        if (listen.Dns.Count > 0 && (listen.DnsAnswer is null || !IPAddress.TryParse(listen.DnsAnswer, out var answer) || answer.AddressFamily != AddressFamily.InterNetwork))
        {
            throw Error(source, "listen.dns_answer", "a DNS listener needs dns_answer, the IPv4 address every A query is answered with");
        }

        Each(c.Allowlist.Domains, "allowlist.domains", (d, k) => NonEmpty(d, source, k));
        Each(c.Allowlist.UrlPrefixes, "allowlist.url_prefixes", (rule, k) =>
        {
            NonNull(rule, source, k);
            NonEmpty(rule.Host, source, k + ".host");
            NonNull(rule.Path, source, k + ".path");
            Each(rule.Methods, k + ".methods", (m, mk) => NonEmpty(m, source, mk));
            if (rule.GraphQl is { } g)
            {
                Each(g.Queries, k + ".graphql.queries", (q, qk) => NonNull(q, source, qk));
                Each(g.Mutations, k + ".graphql.mutations", (q, qk) => NonNull(q, source, qk));
                Each(g.Subscriptions, k + ".graphql.subscriptions", (q, qk) => NonNull(q, source, qk));
            }
        });

        var surrogates = new HashSet<string>(StringComparer.Ordinal);
        void Surrogate(string value, string key)
        {
            NonEmpty(value, source, key);
            if (!surrogates.Add(value))
            {
                throw Error(source, key, "surrogates must be unique");
            }
        }

        Each(c.MaskedSecrets, "masked_secrets", (s, k) =>
        {
            NonNull(s, source, k);
            NonEmpty(s.Name, source, k + ".name");
            Surrogate(s.Surrogate, k + ".surrogate");
            NonEmpty(s.Value, source, k + ".value");
            if (s.Value == s.Surrogate)
            {
                throw Error(source, k + ".surrogate", "the surrogate must differ from the real value");
            }

            NonEmptyList(s.Scopes, source, k + ".scopes");
            NonEmptyList(s.Headers, source, k + ".headers");
        });
        Each(c.SigningCredentials, "signing_credentials", (s, k) =>
        {
            NonNull(s, source, k);
            NonEmpty(s.Label, source, k + ".label");
            Surrogate(s.SurrogateAccessKeyId, k + ".surrogate_access_key_id");
            Surrogate(s.SurrogateSecretAccessKey, k + ".surrogate_secret_access_key");
            NonEmpty(s.AccessKeyId, source, k + ".access_key_id");
            NonEmpty(s.SecretAccessKey, source, k + ".secret_access_key");
            if ((s.SessionToken is null) != (s.SurrogateSessionToken is null))
            {
                throw Error(source, k + ".session_token", "session_token and surrogate_session_token come together");
            }

            if (s.SurrogateSessionToken is not null)
            {
                Surrogate(s.SurrogateSessionToken, k + ".surrogate_session_token");
                NonEmpty(s.SessionToken!, source, k + ".session_token");
            }

            NonEmptyList(s.Scopes, source, k + ".scopes");
        });

        NonEmpty(c.CaCertificatePath, source, "ca_certificate_path");
        NonEmpty(c.CaKeyPath, source, "ca_key_path");
        ExistingFile(c.CaCertificatePath, source, "ca_certificate_path");
        ExistingFile(c.CaKeyPath, source, "ca_key_path");
        if (c.NetworkLogPath is not null)
        {
            NonEmpty(c.NetworkLogPath, source, "network_log_path");
        }

        Each(c.UpstreamHosts, "upstream_hosts", (h, k) =>
        {
            NonNull(h, source, k);
            NonEmpty(h.Pattern, source, k + ".pattern");
            if (!IPAddress.TryParse(h.Address, out _))
            {
                throw Error(source, k + ".address", $"'{h.Address}' is not an IPv4 or IPv6 literal");
            }

            if (h.Port is < 1 or > 65535)
            {
                throw Error(source, k + ".port", "port must be between 1 and 65535");
            }
        });
        if (c.UpstreamCaBundlePath is not null)
        {
            ExistingFile(c.UpstreamCaBundlePath, source, "upstream_ca_bundle_path");
        }

        Each(c.ProxyAddresses, "proxy_addresses", (a, k) =>
        {
            if (!IPAddress.TryParse(a, out _))
            {
                throw Error(source, k, $"'{a}' is not an IP literal");
            }
        });
    }

    private static void Each<T>(IReadOnlyList<T> items, string key, Action<T, string> check)
    {
        for (var i = 0; i < items.Count; i++)
        {
            check(items[i], $"{key}[{i}]");
        }
    }

    private static void NonNull<T>(T? value, string source, string key)
    {
        if (value is null)
        {
            throw Error(source, key, "must not be null");
        }
    }

    private static void NonEmpty(string? value, string source, string key)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Error(source, key, "must be a non-empty string");
        }
    }

    private static void NonEmptyList(IReadOnlyList<string>? values, string source, string key)
    {
        if (values is null || values.Count == 0)
        {
            throw Error(source, key, "must be a non-empty list");
        }

        Each(values, key, (v, k) => NonEmpty(v, source, k));
    }

    private static void ExistingFile(string path, string source, string key)
    {
        if (!File.Exists(path))
        {
            throw Error(source, key, $"file '{path}' does not exist");
        }
    }

    // The document is machine-written; semantic errors name the file and the key path (no line tracking).
    private static SandboxConfigurationException Error(string source, string key, string message) =>
        new($"{message} (in {source})", key: key);
}
