using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Docker;

/// <summary>The log messages of <see cref="DockerRuntime"/>. None carries an environment value.</summary>
internal static partial class DockerRuntimeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Building image {Tag} from {Context}")]
    public static partial void BuildingImage(ILogger logger, string tag, string context);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Creating network {Network} (subnet {Subnet}, internal {Internal}, isolated from host {Isolated})")]
    public static partial void CreatingNetwork(ILogger logger, string network, string? subnet, bool @internal, bool isolated);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Creating container {Container} from {Image}")]
    public static partial void CreatingContainer(ILogger logger, string container, string image);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Docker warns about container {Container}: {Warning}")]
    public static partial void CreateWarning(ILogger logger, string container, string warning);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Build of {Tag} lost a race with an image removed at the same time (attempt {Attempt}), building again: {Error}")]
    public static partial void BuildRetried(ILogger logger, string tag, int attempt, string error);
}
