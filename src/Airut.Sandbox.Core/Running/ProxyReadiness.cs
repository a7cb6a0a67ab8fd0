using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Waits for a started proxy container to print its ready line (TOP-8), which it does only once every listener
/// accepts. Fails early when the container exits, and on timeout; the error carries the proxy's own output.
/// </summary>
public static class ProxyReadiness
{
    /// <summary>How the line <c>airut-proxy</c> prints on stdout when it serves begins (its endpoints follow).</summary>
    public const string ReadyLine = "airut-proxy ready";

    private const int MaxLogCharacters = 4000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until the proxy is ready.</summary>
    /// <exception cref="SandboxInfrastructureException">The proxy exited or did not get ready in time.</exception>
    public static async Task WaitAsync(
        IContainerRuntime runtime, string container, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var logs = await runtime.GetLogsAsync(container, cancellationToken).ConfigureAwait(false);
            if (HasReadyLine(logs.Stdout))
            {
                return;
            }

            var info = await runtime.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            if (info is null || !info.Running)
            {
                logs = await runtime.GetLogsAsync(container, cancellationToken).ConfigureAwait(false);
                if (HasReadyLine(logs.Stdout))
                {
                    return;
                }

                throw new SandboxInfrastructureException(
                    $"Proxy {container} exited before it was ready (exit code {info?.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}).{Describe(logs)}");
            }

            if (time.GetTimestamp() >= deadline)
            {
                throw new SandboxInfrastructureException(
                    $"Proxy {container} not ready after {timeout.TotalSeconds:0.#}s.{Describe(logs)}");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool HasReadyLine(string stdout) =>
        stdout.Split('\n').Any(line => line == ReadyLine || line.StartsWith(ReadyLine + " ", StringComparison.Ordinal));

    private static string Describe(ContainerLogs logs)
    {
        static string Tail(string text) => text.Length > MaxLogCharacters ? "…" + text[^MaxLogCharacters..] : text;
        return $"\n--- proxy stdout ---\n{Tail(logs.Stdout)}\n--- proxy stderr ---\n{Tail(logs.Stderr)}";
    }
}
