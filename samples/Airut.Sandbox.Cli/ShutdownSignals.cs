using System.Runtime.InteropServices;

namespace Airut.Sandbox.Cli;

/// <summary>
/// Turns SIGINT and SIGTERM into cancellation from process start (CLI-62 [DEV]): the runner then stops the container
/// within its grace period and tears everything down. Remembers the first signal for the exit code (130 / 143).
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public ShutdownSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, ExitCodes.Interrupted));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, ExitCodes.Terminated));
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>128 + the signal number of the first signal received, or null when none came.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is 0 ? null : _exitCode;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context, int exitCode)
    {
        context.Cancel = true;
        Interlocked.CompareExchange(ref _exitCode, exitCode, 0);
        _cancellation.Cancel();
    }
}
