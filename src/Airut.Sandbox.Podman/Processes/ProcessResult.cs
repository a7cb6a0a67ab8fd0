namespace Airut.Sandbox.Podman.Processes;

/// <summary>How a captured child process ended and what it printed (each stream bounded).</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Stdout">Captured standard output.</param>
/// <param name="Stderr">Captured standard error.</param>
public sealed record ProcessResult(int ExitCode, BoundedOutputBuffer Stdout, BoundedOutputBuffer Stderr)
{
    /// <summary>True when the process exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
