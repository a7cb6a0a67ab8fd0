using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox;

/// <summary>
/// Chooses the container runtime: the one named explicitly, else the one named by
/// <c>AIRUT_CONTAINER_RUNTIME</c>, else the first candidate whose engine answers. A named runtime must answer
/// too. When nothing answers, the error names every runtime tried and why it failed.
/// </summary>
public sealed class ContainerRuntimeSelector
{
    /// <summary>The environment variable that names the runtime.</summary>
    public const string EnvironmentVariable = "AIRUT_CONTAINER_RUNTIME";

    private readonly IReadOnlyList<ContainerRuntimeCandidate> _candidates;
    private readonly string? _explicitName;
    private readonly Func<string, string?> _environment;
    private readonly TimeSpan _probeTimeout;

    /// <summary>Creates the selector.</summary>
    /// <param name="candidates">Runtimes in probing order.</param>
    /// <param name="explicitName">A runtime named in code, or null.</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <param name="probeTimeout">How long one engine may take to answer.</param>
    public ContainerRuntimeSelector(
        IReadOnlyList<ContainerRuntimeCandidate> candidates, string? explicitName, Func<string, string?> environment, TimeSpan probeTimeout)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(environment);
        _candidates = candidates;
        _explicitName = explicitName;
        _environment = environment;
        _probeTimeout = probeTimeout;
    }

    /// <summary>Selects and returns a runtime whose engine answered.</summary>
    /// <exception cref="SandboxInfrastructureException">The named runtime is unknown or does not answer, or no runtime answers.</exception>
    public async Task<IContainerRuntime> SelectAsync(CancellationToken cancellationToken)
    {
        var (named, source) = _explicitName is { Length: > 0 }
            ? (_explicitName, "the application")
            : (_environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment.Trim() : null, EnvironmentVariable);
        if (named is not null)
        {
            var candidate = _candidates.FirstOrDefault(c => string.Equals(c.Name, named, StringComparison.OrdinalIgnoreCase))
                ?? throw new SandboxInfrastructureException(
                    $"Unknown container runtime '{named}' (from {source}); expected one of: {string.Join(", ", _candidates.Select(c => c.Name))}.");
            var (runtime, error) = await ProbeAsync(candidate, cancellationToken).ConfigureAwait(false);
            return runtime ?? throw new SandboxInfrastructureException(
                $"Container runtime '{candidate.Name}' (from {source}) does not answer: {error}");
        }

        var failures = new List<string>();
        foreach (var candidate in _candidates)
        {
            var (runtime, error) = await ProbeAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (runtime is not null)
            {
                return runtime;
            }

            failures.Add($"{candidate.Name}: {error}");
        }

        throw new SandboxInfrastructureException(
            $"No container runtime answered. Tried {string.Join("; ", failures)}. Start podman or dockerd, or set {EnvironmentVariable}.");
    }

    private async Task<(IContainerRuntime? Runtime, string? Error)> ProbeAsync(ContainerRuntimeCandidate candidate, CancellationToken cancellationToken)
    {
        IContainerRuntime runtime;
        try
        {
            runtime = candidate.Create();
        }
        catch (Exception ex) when (ex is SandboxInfrastructureException or InvalidOperationException or ArgumentException)
        {
            return (null, ex.Message);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_probeTimeout);
        try
        {
            await runtime.GetInfoAsync(timeout.Token).ConfigureAwait(false);
            return (runtime, null);
        }
        catch (SandboxInfrastructureException ex)
        {
            (runtime as IDisposable)?.Dispose();
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            (runtime as IDisposable)?.Dispose();
            return (null, $"no answer within {_probeTimeout.TotalSeconds:0.#}s");
        }
    }
}
