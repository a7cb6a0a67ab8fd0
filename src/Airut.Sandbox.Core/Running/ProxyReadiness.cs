using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Waits for a started proxy to be ready (TOP-8): <c>airut-proxy --ready-file</c> writes its endpoints and a newline
/// to that file once every listener accepts. The file is a host file mounted into the proxy, so waiting for it
/// costs a file read every few milliseconds instead of engine calls. One engine wait watches the container at the
/// same time, so a proxy that exits fails the run at once; so does the timeout. Either error carries the proxy's output.
/// </summary>
public static class ProxyReadiness
{
    private const int MaxLogCharacters = 4000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until the proxy has written <paramref name="readyFile"/> (a host path).</summary>
    /// <exception cref="SandboxInfrastructureException">The proxy exited or did not get ready in time.</exception>
    public static async Task WaitAsync(
        IContainerRuntime runtime, string container, string readyFile, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentException.ThrowIfNullOrEmpty(readyFile);
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = runtime.WaitContainerAsync(container, stopWatching.Token);
        try
        {
            while (!IsReady(readyFile))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (exited.IsCompleted)
                {
                    await ThrowExitedAsync(runtime, container, exited, cancellationToken).ConfigureAwait(false);
                }

                if (time.GetTimestamp() >= deadline)
                {
                    var logs = await runtime.GetLogsAsync(container, cancellationToken).ConfigureAwait(false);
                    throw new SandboxInfrastructureException($"Proxy {container} not ready after {timeout.TotalSeconds:0.#}s.{Describe(logs)}");
                }

                await Task.WhenAny(exited, Task.Delay(PollInterval, time, cancellationToken)).ConfigureAwait(false);
            }
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            try
            {
                await exited.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SandboxInfrastructureException)
            {
                // Only watched while waiting; any failure of the watch was acted on above.
            }
        }
    }

    private static bool IsReady(string readyFile)
    {
        try
        {
            // The proxy writes one line; the newline says the write is complete.
            return File.ReadAllText(readyFile).EndsWith('\n');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task ThrowExitedAsync(IContainerRuntime runtime, string container, Task<ContainerExit> exited, CancellationToken cancellationToken)
    {
        int? exitCode;
        if (exited.IsCompletedSuccessfully)
        {
            exitCode = exited.Result.ExitCode;
        }
        else
        {
            // The watch itself failed: fail closed unless the proxy is demonstrably still running.
            var info = await runtime.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            if (info is { Running: true })
            {
                throw new SandboxInfrastructureException($"Could not watch proxy {container}: {exited.Exception?.GetBaseException().Message}");
            }

            exitCode = info?.ExitCode;
        }

        var logs = await runtime.GetLogsAsync(container, cancellationToken).ConfigureAwait(false);
        throw new SandboxInfrastructureException(
            $"Proxy {container} exited before it was ready (exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}).{Describe(logs)}");
    }

    private static string Describe(ContainerLogs logs)
    {
        static string Tail(string text) => text.Length > MaxLogCharacters ? "…" + text[^MaxLogCharacters..] : text;
        return $"\n--- proxy stdout ---\n{Tail(logs.Stdout)}\n--- proxy stderr ---\n{Tail(logs.Stderr)}";
    }
}
