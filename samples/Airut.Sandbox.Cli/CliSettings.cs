using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Cli;

/// <summary>Options every subcommand shares: logging, runtime choice and image inputs.</summary>
internal sealed record CliSettings
{
    public bool Verbose { get; init; }

    public bool Debug { get; init; }

    public string? LogPath { get; init; }

    /// <summary><c>podman</c>, <c>docker</c>, a path to a podman binary, or null to pick whichever engine answers.</summary>
    public string? ContainerCommand { get; init; }

    public string? DockerfilePath { get; init; }

    public string? ContextDirectory { get; init; }

    public string? ProxyBaseImage { get; init; }

    public LogLevel LogLevel => CliLoggerProvider.LevelFor(Verbose, Debug);
}
