namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>Everything one run needs from <c>.airut/</c>, loaded and validated.</summary>
/// <param name="RepositoryRoot">Absolute path of the repository (workspace) root.</param>
/// <param name="Configuration">The sandbox configuration.</param>
/// <param name="Allowlist">The network allowlist (empty when the network sandbox is off or the default file is missing).</param>
/// <param name="DockerfilePath">Absolute path of the repository image's Dockerfile.</param>
/// <param name="ContextDirectory">Absolute path of the image build context.</param>
public sealed record SandboxDefinition(
    string RepositoryRoot,
    SandboxConfiguration Configuration,
    Allowlist Allowlist,
    string DockerfilePath,
    string ContextDirectory);
