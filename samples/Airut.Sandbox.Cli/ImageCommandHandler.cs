using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core;
using Airut.Sandbox.Core.Images;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Cli;

/// <summary><c>airut-sandbox image hash|save|load</c> (CLI-10..CLI-12): what the GitHub Action caches images with.</summary>
internal static partial class ImageCommandHandler
{
    public const string RepositoryArchive = "repo.tar";
    public const string ProxyArchive = "proxy.tar";

    /// <summary>Ages below this are fresh for <c>image save</c>: an image is built only when missing.</summary>
    private static readonly TimeSpan SaveMaxAge = TimeSpan.FromHours(999999);

    public static int Hash(CliSettings settings, TextWriter stdout)
    {
        using var logs = CliLoggerProvider.Create(settings.LogPath, settings.LogLevel, TimeProvider.System);
        var logger = logs.CreateLogger("airut.sandbox.cli");
        try
        {
            using var services = SandboxServices.Build(settings, logs);
            var (repository, proxy) = Sources(settings, SandboxServices.Options(services));
            stdout.Write($"repo={repository.ContentHash}\nproxy={proxy.ContentHash}\n");
            stdout.Flush();
            return 0;
        }
        catch (Exception error) when (error is IOException or SandboxConfigurationException or UnauthorizedAccessException)
        {
            LogSpecFailed(logger, error.Message);
            return ExitCodes.SandboxFailure;
        }
    }

    public static async Task<int> SaveAsync(CliSettings settings, string directory, CancellationToken cancellationToken)
    {
        using var logs = CliLoggerProvider.Create(settings.LogPath, settings.LogLevel, TimeProvider.System);
        var logger = logs.CreateLogger("airut.sandbox.cli");
        await using var services = SandboxServices.Build(settings, logs);
        var options = SandboxServices.Options(services);
        ImageSource repository, proxy;
        try
        {
            (repository, proxy) = Sources(settings, options);
        }
        catch (Exception error) when (error is IOException or SandboxConfigurationException or UnauthorizedAccessException)
        {
            LogSpecFailed(logger, error.Message);
            return ExitCodes.SandboxFailure;
        }

        var images = services.GetRequiredService<ImageCache>();
        var runtime = services.GetRequiredService<IContainerRuntime>();
        Directory.CreateDirectory(directory);
        foreach (var (kind, source, archive) in new[] { ("repo", repository, RepositoryArchive), ("proxy", proxy, ProxyArchive) })
        {
            var tag = ImageCache.TagFor(options.ResourcePrefix, kind, source);
            try
            {
                await images.EnsureAsync(source, tag, SaveMaxAge, force: false, cancellationToken).ConfigureAwait(false);
            }
            catch (SandboxInfrastructureException error)
            {
                LogBuildFailed(logger, kind, error.Message);
                return ExitCodes.SandboxFailure;
            }

            var path = Path.Combine(directory, archive);
            File.Delete(path);
            try
            {
                await runtime.SaveImagesAsync([tag], path, cancellationToken).ConfigureAwait(false);
            }
            catch (SandboxInfrastructureException error)
            {
                LogSaveFailed(logger, tag, error.Message);
                return ExitCodes.SandboxFailure;
            }
        }

        return 0;
    }

    public static async Task<int> LoadAsync(CliSettings settings, string directory, CancellationToken cancellationToken)
    {
        using var logs = CliLoggerProvider.Create(settings.LogPath, settings.LogLevel, TimeProvider.System);
        var logger = logs.CreateLogger("airut.sandbox.cli");
        await using var services = SandboxServices.Build(settings, logs);
        var runtime = services.GetRequiredService<IContainerRuntime>();
        foreach (var archive in new[] { RepositoryArchive, ProxyArchive })
        {
            var path = Path.Combine(directory, archive);
            if (!File.Exists(path))
            {
                LogSkipping(logger, path);
                continue;
            }

            try
            {
                await runtime.LoadImagesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (SandboxInfrastructureException error)
            {
                LogLoadFailed(logger, path, error.Message);
            }
        }

        return 0;
    }

    private static (ImageSource Repository, ImageSource Proxy) Sources(CliSettings settings, SandboxOptions options)
    {
        var workspace = Directory.GetCurrentDirectory();
        var dockerfile = Path.GetFullPath(settings.DockerfilePath ?? Path.Combine(".airut", "container", "Dockerfile"), workspace);
        if (!File.Exists(dockerfile))
        {
            throw new SandboxConfigurationException($"Dockerfile not found: {dockerfile}", key: "--dockerfile");
        }

        var context = settings.ContextDirectory is null ? Path.GetDirectoryName(dockerfile)! : Path.GetFullPath(settings.ContextDirectory, workspace);
        return (RepositoryImageSourceReader.Read(dockerfile, context), ProxyImageSource.Create(options.ProxyBaseImage, options.ProxyProgramDirectory));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed to build image specs: {Message}")]
    private static partial void LogSpecFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed to build {Kind} image: {Message}")]
    private static partial void LogBuildFailed(ILogger logger, string kind, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed to save {Tag}: {Message}")]
    private static partial void LogSaveFailed(ILogger logger, string tag, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipping {Path} (not found)")]
    private static partial void LogSkipping(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed to load {Path}: {Message}")]
    private static partial void LogLoadFailed(ILogger logger, string path, string message);
}
