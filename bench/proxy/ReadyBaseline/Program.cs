using System.Runtime.InteropServices;

// Prints the same kind of ready line as airut-proxy, then waits for SIGTERM/SIGINT: the floor for start-to-ready.
using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
Console.Out.WriteLine("ready-baseline ready");
Console.Out.Flush();
try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
