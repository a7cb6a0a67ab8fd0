using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Core.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Airut.Sandbox.Core;

/// <summary>Registers the sandbox: <c>services.AddAirutSandbox(o =&gt; …).UsePodman()</c> (or <c>.UseDocker()</c>).</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISandboxRunner"/> and what it is made of. <see cref="SandboxOptions"/> are validated when
    /// the runner is first resolved (and at host start with a generic host). A container runtime must still be chosen
    /// on the returned builder.
    /// </summary>
    public static AirutSandboxBuilder AddAirutSandbox(this IServiceCollection services, Action<SandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddOptions<SandboxOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEnvironmentVariableSource, ProcessEnvironmentVariableSource>();
        services.TryAddSingleton<IProcessIdentityReader, ProcProcessIdentityReader>();
        services.TryAddSingleton<InternalNetworkAllocator>();
        services.TryAddSingleton<SandboxConfigurationLoader>();
        services.TryAddSingleton<AllowlistLoader>();
        services.TryAddSingleton<SandboxDefinitionLoader>();
        services.TryAddSingleton<ImageCache>();
        services.TryAddSingleton<DeadRunSweeper>();
        services.TryAddSingleton<ISandboxRunner, SandboxRunner>();
        return new AirutSandboxBuilder(services);
    }
}
