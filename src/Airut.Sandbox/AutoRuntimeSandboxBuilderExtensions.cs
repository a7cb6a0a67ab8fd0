using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Airut.Sandbox.Docker;
using Airut.Sandbox.Podman;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox;

/// <summary>Lets the sandbox pick its container runtime.</summary>
public static class AutoRuntimeSandboxBuilderExtensions
{
    /// <summary>How long one engine may take to answer the probe.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Uses <paramref name="runtime"/> when given (<c>podman</c> or <c>docker</c>), else the runtime named by
    /// <c>AIRUT_CONTAINER_RUNTIME</c>, else the first of podman and Docker whose engine answers. The choice is made
    /// on first use; when nothing answers, the error names what was tried.
    /// </summary>
    public static AirutSandboxBuilder UseAvailableRuntime(
        this AirutSandboxBuilder builder, string? runtime = null, PodmanRuntimeOptions? podman = null, DockerRuntimeOptions? docker = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IContainerRuntime>();
        builder.Services.AddSingleton<IContainerRuntime>(sp =>
        {
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            ContainerRuntimeCandidate[] candidates =
            [
                new("podman", () => new PodmanRuntime(podman ?? new PodmanRuntimeOptions(), loggers.CreateLogger<PodmanRuntime>())),
                new("docker", () => new DockerRuntime(docker, loggers.CreateLogger<DockerRuntime>())),
            ];
            return new AutoSelectedContainerRuntime(new ContainerRuntimeSelector(candidates, runtime, Environment.GetEnvironmentVariable, ProbeTimeout));
        });
        return builder;
    }
}
