using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Podman;

/// <summary>Chooses podman as the sandbox's container runtime.</summary>
public static class PodmanSandboxBuilderExtensions
{
    /// <summary>Runs sandboxes with podman (<c>services.AddAirutSandbox().UsePodman()</c>).</summary>
    /// <param name="builder">The sandbox registration.</param>
    /// <param name="options">Podman settings; defaults when null.</param>
    public static AirutSandboxBuilder UsePodman(this AirutSandboxBuilder builder, PodmanRuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IContainerRuntime>();
        builder.Services.AddSingleton<IContainerRuntime>(sp =>
            new PodmanRuntime(options ?? new PodmanRuntimeOptions(), sp.GetRequiredService<ILogger<PodmanRuntime>>()));
        return builder;
    }
}
