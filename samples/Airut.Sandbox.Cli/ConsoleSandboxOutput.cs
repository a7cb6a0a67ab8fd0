using Airut.Sandbox.Abstractions.Running;

namespace Airut.Sandbox.Cli;

/// <summary>
/// Writes the command's output to our stdout/stderr line by line, flushed at once (CLI-58), and network log lines
/// to stderr as <c>[net] line</c> (CLI-72). Nothing else of ours goes to stdout.
/// </summary>
internal sealed class ConsoleSandboxOutput(TextWriter stdout, TextWriter stderr) : ISandboxOutput
{
    private readonly SemaphoreSlim _stderrGate = new(1, 1);

    public async ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken)
    {
        await stdout.WriteAsync((line + "\n").AsMemory(), cancellationToken).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken) => WriteStderrAsync(line, cancellationToken);

    public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => WriteStderrAsync("[net] " + line, cancellationToken);

    private async ValueTask WriteStderrAsync(string line, CancellationToken cancellationToken)
    {
        await _stderrGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stderr.WriteAsync((line + "\n").AsMemory(), cancellationToken).ConfigureAwait(false);
            await stderr.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _stderrGate.Release();
        }
    }
}
