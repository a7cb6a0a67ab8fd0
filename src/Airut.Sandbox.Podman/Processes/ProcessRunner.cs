using System.ComponentModel;
using System.Diagnostics;
using Airut.Sandbox.Abstractions.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Podman.Processes;

/// <summary>
/// Runs a command-line tool with an argument array (never a shell string), with stdin closed at once.
/// Output is either captured into bounded buffers or handed to callbacks as it arrives. Cancellation kills
/// the whole process tree. At Debug level every run is logged when it starts and when it ends, with its exit code
/// and duration, naming the tool and its command words only: arguments can carry environment values.
/// </summary>
public sealed partial class ProcessRunner
{
    private const int ReadBufferSize = 64 * 1024;

    /// <summary>Most bytes of stderr kept for error messages.</summary>
    public const int StderrLimit = 64 * 1024;

    private readonly string _fileName;
    private readonly int _stdoutLimit;
    private readonly ILogger _logger;

    /// <summary>Creates a runner for one executable.</summary>
    /// <param name="fileName">Executable path or name looked up on PATH.</param>
    /// <param name="stdoutLimit">Most bytes of stdout kept by <see cref="RunAsync"/>.</param>
    /// <param name="logger">Where runs are logged at Debug level; none when null.</param>
    public ProcessRunner(string fileName, int stdoutLimit, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentOutOfRangeException.ThrowIfNegative(stdoutLimit);
        _fileName = fileName;
        _stdoutLimit = stdoutLimit;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Runs to completion, capturing stdout and stderr.</summary>
    public async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var stdout = new BoundedOutputBuffer(_stdoutLimit);
        var stderr = new BoundedOutputBuffer(StderrLimit);
        var exitCode = await RunCoreAsync(
            arguments,
            (data, _) =>
            {
                stdout.Append(data.Span);
                return ValueTask.CompletedTask;
            },
            (data, _) =>
            {
                stderr.Append(data.Span);
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        return new ProcessResult(exitCode, stdout, stderr);
    }

    /// <summary>
    /// Runs to completion, handing every chunk of stdout and stderr to its callback as soon as it is read.
    /// The two streams are read concurrently and never merged. Returns the exit code.
    /// </summary>
    public Task<int> RunStreamingAsync(
        IReadOnlyList<string> arguments,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onStdout,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onStderr,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onStdout);
        ArgumentNullException.ThrowIfNull(onStderr);
        return RunCoreAsync(arguments, onStdout, onStderr, cancellationToken);
    }

    private async Task<int> RunCoreAsync(
        IReadOnlyList<string> arguments,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onStdout,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onStderr,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();

        var startInfo = new ProcessStartInfo(_fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new SandboxInfrastructureException(
                $"Cannot start '{_fileName}': {ex.Message}. Is it installed and on PATH?", ex);
        }

        var started = Stopwatch.GetTimestamp();
        var command = _logger.IsEnabled(LogLevel.Debug) ? CommandWords(arguments) : string.Empty;
        LogStarted(_fileName, command, process.Id);

        // The child must never wait on our stdin (CLI-56).
        process.StandardInput.Close();

        // Callbacks get a token that is not cancelled by the caller's, so a cancelled run still drains the pipes
        // of the killed process instead of leaving reads pending.
        var stdoutPump = PumpAsync(process, process.StandardOutput.BaseStream, onStdout);
        var stderrPump = PumpAsync(process, process.StandardError.BaseStream, onStderr);

        using (cancellationToken.Register(static state => KillTree((Process)state!), process))
        {
            await Task.WhenAll(stdoutPump, stderrPump).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var exitCode = process.ExitCode;
        LogExited(_fileName, command, process.Id, exitCode, elapsed);
        cancellationToken.ThrowIfCancellationRequested();
        return exitCode;
    }

    /// <summary>
    /// The leading arguments up to the first option, at most two ("network create", "start"); for a tool whose command
    /// is an option (iptables), its first three arguments ("-w -A FORWARD").
    /// </summary>
    private static string CommandWords(IReadOnlyList<string> arguments)
    {
        var words = arguments.TakeWhile(a => !a.StartsWith('-')).Take(2).ToList();
        return string.Join(' ', words.Count > 0 ? words : arguments.Take(3));
    }

    private static async Task PumpAsync(
        Process process, Stream source, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink)
    {
        var buffer = new byte[ReadBufferSize];
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                await sink(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch
        {
            // A sink failed: do not leave the child running (and blocked on a full pipe) with nobody reading.
            KillTree(process);
            throw;
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exiting while we tried; nothing left to kill.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Tool} {Command} started (pid {Pid})")]
    private partial void LogStarted(string tool, string command, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Tool} {Command} (pid {Pid}) exited {ExitCode} after {Milliseconds} ms")]
    private partial void LogExited(string tool, string command, int pid, int exitCode, long milliseconds);
}
