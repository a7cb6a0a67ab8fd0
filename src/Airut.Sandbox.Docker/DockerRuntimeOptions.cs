namespace Airut.Sandbox.Docker;

/// <summary>Settings of <see cref="DockerRuntime"/>.</summary>
public sealed record DockerRuntimeOptions
{
    /// <summary>The daemon to talk to; null reads <c>DOCKER_HOST</c> (default <c>unix:///var/run/docker.sock</c>).</summary>
    public DockerEndpoint? Endpoint { get; init; }

    /// <summary>
    /// Host directory for the per-container <c>resolv.conf</c> files that replace Docker's embedded resolver
    /// (see <see cref="DockerRuntime"/>). Each file is removed with its container.
    /// </summary>
    public string ResolvConfDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "airut-docker-resolv");
}
