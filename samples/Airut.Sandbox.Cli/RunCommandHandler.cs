using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Cli;

/// <summary><c>airut-sandbox run [options] -- COMMAND...</c>: one sandboxed command, its exit code mapped per CLI-30.</summary>
internal static partial class RunCommandHandler
{
    public static async Task<int> RunAsync(
        CliSettings settings,
        RunSettings run,
        IReadOnlyList<string> command,
        TextWriter stdout,
        TextWriter stderr,
        ShutdownSignals signals)
    {
        using var logs = CliLoggerProvider.Create(settings.LogPath, settings.LogLevel, TimeProvider.System);
        var logger = logs.CreateLogger("airut.sandbox.cli");
        try
        {
            var workingDirectory = Directory.GetCurrentDirectory();
            var request = CreateRequest(settings, run, command, workingDirectory, logger);
            await using var services = SandboxServices.Build(settings, logs);
            var runner = services.GetRequiredService<ISandboxRunner>();
            var result = await runner.RunAsync(request, new ConsoleSandboxOutput(stdout, stderr), signals.Token).ConfigureAwait(false);
            if (result.TimedOut)
            {
                LogTimedOut(logger);
            }
            else if (result.OomKilled)
            {
                LogOutOfMemory(logger);
            }

            return ExitCodes.For(result.ExitCode, result.TimedOut);
        }
        catch (OperationCanceledException) when (signals.ExitCode is { } signalled)
        {
            return signalled;
        }
        catch (SandboxConfigurationException error)
        {
            LogConfigurationError(logger, error.Message);
            return ExitCodes.SandboxFailure;
        }
        catch (SandboxInfrastructureException error)
        {
            LogInfrastructureError(logger, error.Message, error);
            return ExitCodes.SandboxFailure;
        }
    }

    internal static SandboxRunRequest CreateRequest(
        CliSettings settings, RunSettings run, IReadOnlyList<string> command, string workingDirectory, ILogger logger)
    {
        if (command.Count == 0)
        {
            throw new SandboxConfigurationException("No command specified after --", key: "command");
        }

        var workspace = Path.GetFullPath(workingDirectory);
        var mounts = run.Mounts.Select(m => MountSpec.Parse(m, workspace)).ToList();
        if (settings.LogPath is not null && IsInside(Path.GetFullPath(settings.LogPath, workspace), workspace))
        {
            LogLogInWorkspace(logger);
        }

        return new SandboxRunRequest
        {
            Command = command,
            WorkspaceDirectory = workspace,
            ConfigPath = Resolve(run.ConfigPath, workspace),
            AllowlistPath = Resolve(run.AllowlistPath, workspace),
            DockerfilePath = Resolve(settings.DockerfilePath, workspace),
            ContextDirectory = Resolve(settings.ContextDirectory, workspace),
            Mounts = mounts,
            Timeout = run.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            MaxImageAge = run.MaxImageAgeHours is { } hours ? TimeSpan.FromHours(hours) : null,
            NetworkLogPath = Resolve(run.NetworkLogPath, workspace),
            FollowNetworkLog = run.NetworkLogLive,
            EgressNetwork = run.EgressNetwork,
            Verbose = settings.Verbose || settings.Debug,
        };
    }

    private static string? Resolve(string? path, string workspace) => path is null ? null : Path.GetFullPath(path, workspace);

    private static bool IsInside(string path, string directory) =>
        path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Error, Message = "Container execution timed out")]
    private static partial void LogTimedOut(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container killed by memory limit (OOM). Consider increasing resource_limits.memory in .airut/sandbox.yaml")]
    private static partial void LogOutOfMemory(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration error: {Message}")]
    private static partial void LogConfigurationError(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sandbox infrastructure error: {Message}")]
    private static partial void LogInfrastructureError(ILogger logger, string message, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The --log file is inside the workspace: the sandboxed command can read and forge it")]
    private static partial void LogLogInWorkspace(ILogger logger);
}
