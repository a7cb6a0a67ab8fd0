using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Removes what killed runs left behind (CLI-83, SEC-09, SEC-27), and nothing else (SEC-14, SEC-38): containers,
/// networks and run directories whose recorded owner process is provably gone. A resource whose owner runs, or
/// whose owner cannot be judged, is left alone. Failures are logged and never stop the new run.
/// </summary>
public sealed partial class DeadRunSweeper
{
    private readonly IContainerRuntime _runtime;
    private readonly IProcessIdentityReader _processes;
    private readonly ILogger<DeadRunSweeper> _logger;

    /// <summary>Creates the sweeper.</summary>
    public DeadRunSweeper(IContainerRuntime runtime, IProcessIdentityReader processes, ILogger<DeadRunSweeper> logger)
    {
        _runtime = runtime;
        _processes = processes;
        _logger = logger;
    }

    /// <summary>Sweeps the engine and, when given, the run directory root.</summary>
    /// <returns>What was removed.</returns>
    public async Task<SweepResult> SweepAsync(string? runDirectoryRoot, CancellationToken cancellationToken)
    {
        var containers = new List<string>();
        var networks = new List<string>();
        var directories = new List<string>();

        foreach (var container in await ListAsync(() => _runtime.ListContainersAsync(RunLabels.ManagedSelector, cancellationToken), "containers").ConfigureAwait(false))
        {
            if (IsDead(container.Labels) && await TryAsync(() => _runtime.RemoveContainerAsync(container.Id, cancellationToken), container.Name).ConfigureAwait(false))
            {
                containers.Add(container.Name);
            }
        }

        foreach (var network in await ListAsync(() => _runtime.ListNetworksAsync(RunLabels.ManagedSelector, cancellationToken), "networks").ConfigureAwait(false))
        {
            if (IsDead(network.Labels) && await TryAsync(() => _runtime.RemoveNetworkAsync(network.Name, cancellationToken), network.Name).ConfigureAwait(false))
            {
                networks.Add(network.Name);
            }
        }

        if (runDirectoryRoot is not null && Directory.Exists(runDirectoryRoot))
        {
            foreach (var directory in Directory.EnumerateDirectories(runDirectoryRoot))
            {
                if (RunId.TryParse(Path.GetFileName(directory)) is null ||
                    RunOwnership.Judge(RunDirectory.ReadOwner(directory), _processes) != RunOwnerState.Dead)
                {
                    continue;
                }

                try
                {
                    Directory.Delete(directory, recursive: true);
                    directories.Add(directory);
                    LogRemoved("run directory", directory);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogFailed(directory, ex.Message);
                }
            }
        }

        return new SweepResult(containers, networks, directories);
    }

    private bool IsDead(IReadOnlyDictionary<string, string> labels) =>
        RunOwnership.Judge(RunLabels.ReadOwner(labels), _processes) == RunOwnerState.Dead;

    private async Task<IReadOnlyList<T>> ListAsync<T>(Func<Task<IReadOnlyList<T>>> list, string what)
    {
        try
        {
            return await list().ConfigureAwait(false);
        }
        catch (SandboxInfrastructureException ex)
        {
            LogListFailed(what, ex.Message);
            return [];
        }
    }

    private async Task<bool> TryAsync(Func<Task> remove, string name)
    {
        try
        {
            await remove().ConfigureAwait(false);
            LogRemoved("resource", name);
            return true;
        }
        catch (SandboxInfrastructureException ex)
        {
            LogFailed(name, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed leftover {Kind} {Name} of a run whose owner is gone")]
    private partial void LogRemoved(string kind, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove leftover {Name}: {Error}")]
    private partial void LogFailed(string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list managed {What}: {Error}")]
    private partial void LogListFailed(string what, string error);
}
