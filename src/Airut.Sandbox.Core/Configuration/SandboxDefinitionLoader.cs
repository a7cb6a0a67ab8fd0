using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Loads everything one run needs from <c>.airut/</c> in the CLI-40 order: the sandbox configuration, the
/// Dockerfile location, then the allowlist only when the network sandbox is on (AL-4: with
/// <c>network_sandbox: false</c> the allowlist is not read at all, even when it is invalid).
/// </summary>
public sealed class SandboxDefinitionLoader(SandboxConfigurationLoader configurationLoader, AllowlistLoader allowlistLoader)
{
    /// <summary>The default Dockerfile relative to the repository root.</summary>
    public const string DefaultDockerfileRelativePath = ".airut/container/Dockerfile";

    /// <summary>Loads and validates the definition.</summary>
    /// <exception cref="SandboxConfigurationException">Any file is missing (when required) or invalid.</exception>
    public async Task<SandboxDefinition> LoadAsync(SandboxDefinitionSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var root = Path.GetFullPath(sources.RepositoryRoot);
        if (!Directory.Exists(root))
        {
            throw new SandboxConfigurationException($"repository root not found: {root}");
        }

        var configPath = Resolve(root, sources.ConfigPath, SandboxConfigurationLoader.DefaultRelativePath);
        var configuration = await configurationLoader
            .LoadAsync(configPath, root, explicitlyNamed: sources.ConfigPath is not null, cancellationToken)
            .ConfigureAwait(false);

        var dockerfile = Resolve(root, sources.DockerfilePath, DefaultDockerfileRelativePath);
        if (!File.Exists(dockerfile))
        {
            throw new SandboxConfigurationException($"Dockerfile not found: {dockerfile}");
        }

        var context = sources.ContextDirectory is null
            ? Path.GetDirectoryName(dockerfile)!
            : Path.GetFullPath(sources.ContextDirectory, root);

        var allowlist = Allowlist.Empty;
        if (configuration.NetworkSandbox)
        {
            var allowlistPath = Resolve(root, sources.AllowlistPath, AllowlistLoader.DefaultRelativePath);
            allowlist = await allowlistLoader
                .LoadAsync(allowlistPath, explicitlyNamed: sources.AllowlistPath is not null, cancellationToken)
                .ConfigureAwait(false);
        }

        return new SandboxDefinition(root, configuration, allowlist, dockerfile, context);
    }

    private static string Resolve(string root, string? given, string defaultRelative) =>
        Path.GetFullPath(given ?? defaultRelative, root);
}
