using System.Text.RegularExpressions;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Loads <c>.airut/sandbox.yaml</c> (credentials-cli.md §1 and additions.md) strictly: unknown keys and wrong
/// types are errors with file, line, column and key; <c>!env</c> is resolved through an injected
/// <see cref="IEnvironmentVariableSource"/> and fails closed. Sections are checked in the CFG-08 order
/// (env → pass_env → masked_secrets → signing_credentials → network_sandbox → resource_limits), then the
/// additions (egress_network → upstream_hosts → upstream_hosts_only → upstream_ca_bundle); the first error wins.
/// </summary>
public sealed partial class SandboxConfigurationLoader(
    IEnvironmentVariableSource environment, ILogger<SandboxConfigurationLoader> logger)
{
    /// <summary>The default location relative to the repository root (CFG-01).</summary>
    public const string DefaultRelativePath = ".airut/sandbox.yaml";

    private static readonly string[] TopLevelKeys =
    [
        "env", "pass_env", "masked_secrets", "signing_credentials", "network_sandbox", "resource_limits",
        "egress_network", "upstream_hosts", "upstream_hosts_only", "upstream_ca_bundle",
    ];

    /// <summary>
    /// Loads <paramref name="path"/>. A missing file gives <see cref="SandboxConfiguration.Default"/> (CFG-02) unless the
    /// path was named explicitly (<c>--config</c>), which makes it an error (SEC-20 [DEV]).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="repositoryRoot">The directory <c>upstream_ca_bundle</c> is relative to.</param>
    /// <param name="explicitlyNamed">Whether the user named the path.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public async Task<SandboxConfiguration> LoadAsync(
        string path, string repositoryRoot, bool explicitlyNamed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            if (Directory.Exists(path))
            {
                throw new SandboxConfigurationException($"config path is a directory, not a file: {path}", new SourceLocation(path, 1, 1));
            }

            if (explicitlyNamed)
            {
                throw new SandboxConfigurationException(
                    $"config file not found: {path} (it was named explicitly, so it must exist)", new SourceLocation(path, 1, 1));
            }

            LogNotFound(path);
            return SandboxConfiguration.Default;
        }

        var text = await ConfigurationFileText.ReadAsync(path, ConfigurationLimits.MaxYamlBytes, cancellationToken).ConfigureAwait(false);
        var configuration = await ParseAsync(path, text, repositoryRoot, cancellationToken).ConfigureAwait(false);
        if (!configuration.NetworkSandbox && (configuration.MaskedSecrets.Count > 0 || configuration.SigningCredentials.Count > 0))
        {
            LogCredentialsWithoutSandbox(path);
        }

        return configuration;
    }

    /// <summary>Parses sandbox.yaml text already in memory; <paramref name="path"/> is used for messages.</summary>
    public async Task<SandboxConfiguration> ParseAsync(
        string path, string text, string repositoryRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        var root = ConfigDocumentParser.Parse(path, text, allowEnvTag: true, message => $"Invalid YAML in {path}: {message}");
        if (root is null or ScalarNode { IsNull: true, Tag: null })
        {
            return SandboxConfiguration.Default;
        }

        var reader = new ConfigNodeReader(path);
        if (root is not MappingNode top)
        {
            throw reader.Error(root, null, $"Config file must be a YAML mapping: {path}");
        }

        reader.RejectUnknownKeys(top, null, TopLevelKeys);
        var values = new RequiredValueReader(reader, environment);
        ConfigNode? Section(string key) => top.Find(key)?.Value;

        var env = ReadEnv(reader, values, Section("env"));
        IReadOnlyList<string> passEnv = Section("pass_env") is { } passEnvNode
            ? reader.StringList(passEnvNode, "pass_env", "environment variable name", nonEmpty: false, EnvironmentVariableNameRule.Check)
            : [];
        var maskedSecrets = MaskedSecretsSection.Read(reader, values, Section("masked_secrets"));
        var signingCredentials = SigningCredentialsSection.Read(reader, values, Section("signing_credentials"));
        var networkSandbox = reader.Boolean(Section("network_sandbox"), "network_sandbox", whenNull: true);
        var resourceLimits = ResourceLimitsSection.Read(reader, Section("resource_limits"));
        var egressNetwork = ReadEgressNetwork(reader, Section("egress_network"));
        var upstreamHosts = UpstreamHostsSection.Read(reader, Section("upstream_hosts"));
        var upstreamHostsOnly = reader.Boolean(Section("upstream_hosts_only"), "upstream_hosts_only", whenNull: false);
        var caBundle = await UpstreamCaBundleSection.ReadAsync(reader, Section("upstream_ca_bundle"), repositoryRoot, cancellationToken)
            .ConfigureAwait(false);

        return new SandboxConfiguration(
            env,
            passEnv,
            maskedSecrets,
            signingCredentials,
            networkSandbox,
            resourceLimits,
            egressNetwork,
            upstreamHosts,
            upstreamHostsOnly,
            caBundle,
            path);
    }

    private static List<KeyValuePair<string, string>> ReadEnv(ConfigNodeReader reader, RequiredValueReader values, ConfigNode? node)
    {
        if (node is null)
        {
            return [];
        }

        var section = reader.Mapping(node, "env", "'env'");
        var env = new List<KeyValuePair<string, string>>(section.Entries.Count);
        foreach (var (nameNode, valueNode) in section.Entries)
        {
            var key = KeyPath.Child("env", nameNode.Value);
            if (EnvironmentVariableNameRule.Check(nameNode.Value) is { } problem)
            {
                throw reader.Error(nameNode, key, problem);
            }

            env.Add(new(nameNode.Value, values.Read(valueNode, nameNode, key)!.Text));
        }

        return env;
    }

    private static string? ReadEgressNetwork(ConfigNodeReader reader, ConfigNode? node)
    {
        if (node is null)
        {
            return null;
        }

        var name = reader.String(node, "egress_network", "a network name");
        return NetworkNamePattern().IsMatch(name)
            ? name
            : throw reader.Error(
                node,
                "egress_network",
                $"'{name}' is not a network name; use letters, digits, '_', '.' and '-', starting with a letter or digit");
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NetworkNamePattern();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Config file not found: {Path} (using defaults)")]
    private partial void LogNotFound(string path);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "{Path}: network_sandbox is false but masked or signing credentials are configured; the container has " +
            "unrestricted egress and its surrogates are never replaced")]
    private partial void LogCredentialsWithoutSandbox(string path);
}
