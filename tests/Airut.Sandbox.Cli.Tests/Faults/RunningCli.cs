using System.Diagnostics;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests.Faults;

/// <summary>
/// An <c>airut-sandbox</c> process started in the background, so that a test can signal or kill it mid-run.
/// Its output is collected line by line; disposing kills it if it still runs.
/// </summary>
internal sealed class RunningCli : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningCli(Process process) => _process = process;

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return string.Join('\n', _stdout);
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    public static RunningCli Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // A process started in the background by a non-interactive shell (`cmd &`, as some CI runners do) inherits
        // SIGINT ignored, and the CLI rightly keeps ignoring it, as POSIX tools do. The signal tests are about a CLI
        // that can be interrupted, so it starts with SIGINT at its default whatever the test host inherited.
        var startInfo = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["AIRUT_PROXY_BASE_IMAGE"] = "localhost/airut/debian:bookworm";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.ArgumentList.Add("--default-signal=INT");
        startInfo.ArgumentList.Add(CliProcess.Program);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var cli = new RunningCli(process);
        process.OutputDataReceived += (_, e) => Collect(cli._stdout, cli._stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(cli._stderr, cli._stderrClosed, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits until the command printed <paramref name="line"/>; fails with the output so far when the process ends first.</summary>
    public async Task WaitForStdoutLineAsync(string line, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (true)
        {
            lock (_stdout)
            {
                if (_stdout.Contains(line))
                {
                    return;
                }
            }

            Assert.False(_process.HasExited, $"airut-sandbox exited {(_process.HasExited ? _process.ExitCode : 0)} before printing '{line}':\n{Stderr}");
            Assert.False(timeout.IsCancellationRequested, $"airut-sandbox did not print '{line}' within {patience}:\n{Stderr}");
            await Task.Delay(200);
        }
    }

    public async Task SignalAsync(string signal)
    {
        var result = await ExternalCommand.RunAsync("kill", ["-s", signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(patience);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Collect(List<string> lines, TaskCompletionSource closed, string? line)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }
}
