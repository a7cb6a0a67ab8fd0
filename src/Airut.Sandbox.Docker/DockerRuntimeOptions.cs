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
    /// <remarks>
    /// The default lies under the user's own data directory, not a shared temp directory, so that no other local
    /// user can swap a file before the container starts.
    /// </remarks>
    public string ResolvConfDirectory { get; init; } = DefaultResolvConfDirectory();

    private static string DefaultResolvConfDirectory()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(string.IsNullOrEmpty(data) ? Path.GetTempPath() : data, "airut", "docker-resolv");
    }
}
