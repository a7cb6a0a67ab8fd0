using Microsoft.Extensions.DependencyInjection;

namespace Airut.Sandbox.Core;

/// <summary>
/// Returned by <see cref="SandboxServiceCollectionExtensions.AddAirutSandbox"/>; a container runtime is chosen
/// on it (<c>.UsePodman()</c>, <c>.UseDocker()</c>, or automatic selection from the <c>Airut.Sandbox</c> package).
/// </summary>
public sealed class AirutSandboxBuilder
{
    /// <summary>Creates the builder over <paramref name="services"/>.</summary>
    public AirutSandboxBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }
}
