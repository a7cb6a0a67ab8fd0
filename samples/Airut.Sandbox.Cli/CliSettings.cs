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

    /// <summary>The proxy's log level (<c>--proxy-log-level</c>, run only); null for its quiet default.</summary>
    public LogLevel? ProxyLogLevel { get; init; }

    /// <summary>Our log level; at least INFO with <c>--proxy-log-level</c>, since the proxy's lines are passed on as INFO.</summary>
    public LogLevel LogLevel =>
        ProxyLogLevel is null ? CliLoggerProvider.LevelFor(Verbose, Debug) : (LogLevel)Math.Min((int)CliLoggerProvider.LevelFor(Verbose, Debug), (int)LogLevel.Information);
}
