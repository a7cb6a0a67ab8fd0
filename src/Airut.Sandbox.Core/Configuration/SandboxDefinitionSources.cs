namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Where to load a <see cref="Abstractions.Configuration.SandboxDefinition"/> from. A null path means the
/// default under <c>.airut/</c>; a given path is "named explicitly" and must exist (SEC-20 [DEV]).
/// Relative paths resolve against <paramref name="RepositoryRoot"/>; a CLI resolves its arguments against its
/// working directory before passing them (CLI-05).
/// </summary>
/// <param name="RepositoryRoot">The repository (workspace) root.</param>
/// <param name="ConfigPath"><c>--config</c>, default <c>.airut/sandbox.yaml</c>.</param>
/// <param name="AllowlistPath"><c>--allowlist</c>, default <c>.airut/network-allowlist.yaml</c>.</param>
/// <param name="DockerfilePath"><c>--dockerfile</c>, default <c>.airut/container/Dockerfile</c>.</param>
/// <param name="ContextDirectory"><c>--context-dir</c>, default the Dockerfile's directory.</param>
public sealed record SandboxDefinitionSources(
    string RepositoryRoot,
    string? ConfigPath = null,
    string? AllowlistPath = null,
    string? DockerfilePath = null,
    string? ContextDirectory = null);
