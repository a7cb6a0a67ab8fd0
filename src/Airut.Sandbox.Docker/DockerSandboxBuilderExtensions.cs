using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Docker;

/// <summary>Chooses Docker as the sandbox's container runtime.</summary>
public static class DockerSandboxBuilderExtensions
{
    /// <summary>Runs sandboxes with Docker (<c>services.AddAirutSandbox().UseDocker()</c>).</summary>
    /// <param name="builder">The sandbox registration.</param>
    /// <param name="options">Docker settings; defaults (<c>DOCKER_HOST</c> or the local socket) when null.</param>
    public static AirutSandboxBuilder UseDocker(this AirutSandboxBuilder builder, DockerRuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IContainerRuntime>();
        builder.Services.AddSingleton<IContainerRuntime>(sp =>
            new DockerRuntime(options, sp.GetRequiredService<ILogger<DockerRuntime>>()));
        return builder;
    }
}
