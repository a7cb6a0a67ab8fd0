namespace Airut.Sandbox.Cli;

/// <summary>The CLI's exit codes (CLI-30..CLI-32).</summary>
internal static class ExitCodes
{
    /// <summary>The command ran past its timeout and was killed.</summary>
    public const int Timeout = 124;

    /// <summary>The sandbox could not run the command: bad configuration or input, or an infrastructure failure.</summary>
    public const int SandboxFailure = 125;

    /// <summary>Killed by the memory limit.</summary>
    public const int OutOfMemory = 137;

    /// <summary>Interrupted by SIGINT before the command ran.</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated by SIGTERM before the command ran.</summary>
    public const int Terminated = 143;

    /// <summary>Maps a finished run to the process exit code: a timeout wins over every other code (124),
    /// and a signal death reported as a negative code becomes 128 + signal number.</summary>
    public static int For(int commandExitCode, bool timedOut)
    {
        if (timedOut)
        {
            return Timeout;
        }

        return commandExitCode < 0 ? 128 + (-commandExitCode & 0x7F) : commandExitCode & 0xFF;
    }
}
