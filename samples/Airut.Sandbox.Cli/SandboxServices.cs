using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Airut.Sandbox.Podman;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Cli;

/// <summary>Composes the library the way an embedding program would, from the CLI's settings.</summary>
internal static class SandboxServices
{
    /// <summary>Environment variable naming the proxy image's base when <c>--proxy-base-image</c> is not given.</summary>
    public const string ProxyBaseImageVariable = "AIRUT_PROXY_BASE_IMAGE";

    public static ServiceProvider Build(CliSettings settings, ILoggerProvider logs)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders().SetMinimumLevel(settings.LogLevel).AddProvider(logs));
        if (!Console.IsErrorRedirected)
        {
            services.AddSingleton<IImageBuildProgress>(new TerminalBuildProgress(Console.Error));
        }

        var proxyBase = settings.ProxyBaseImage ?? Environment.GetEnvironmentVariable(ProxyBaseImageVariable);
        var builder = services.AddAirutSandbox(options =>
        {
            if (!string.IsNullOrEmpty(proxyBase))
            {
                options.ProxyBaseImage = proxyBase;
            }

            options.ProxyLogLevel = settings.ProxyLogLevel;
        });

        var command = settings.ContainerCommand;
        if (command is null || command is "podman" or "docker")
        {
            builder.UseAvailableRuntime(command);
        }
        else if (Path.GetFileName(command) == "docker")
        {
            builder.UseAvailableRuntime("docker");
        }
        else
        {
            builder.UsePodman(new PodmanRuntimeOptions { PodmanPath = command });
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static SandboxOptions Options(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SandboxOptions>>().Value;
}
