using System.Diagnostics;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Podman.Processes;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Podman.Tests;

/// <summary>Runs real child processes (/bin/sh), no engine.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class ProcessRunnerTests
{
    private static readonly ProcessRunner Shell = new("/bin/sh", 1024);

    [Fact]
    public async Task Captures_stdout_stderr_and_exit_code_separately()
    {
        var result = await Shell.RunAsync(["-c", "echo out; echo err >&2; exit 7"], CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\n", result.Stdout.ToString());
        Assert.Equal("err\n", result.Stderr.ToString());
    }

    [Fact]
    public async Task RES_05_stdout_capture_is_bounded()
    {
        var result = await Shell.RunAsync(["-c", "head -c 1000000 /dev/zero"], CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1024, result.Stdout.ToArray().Length);
        Assert.Equal(1_000_000, result.Stdout.TotalBytes);
        Assert.True(result.Stdout.Truncated);
    }

    [Fact]
    public async Task CLI_56_stdin_is_closed_so_a_reader_sees_eof()
    {
        var result = await Shell.RunAsync(["-c", "cat; echo eof"], new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Assert.Equal("eof\n", result.Stdout.ToString());
    }

    [Fact]
    public async Task CFG_05_arguments_reach_the_child_unchanged()
    {
        string[] hostile = ["--flag", "a=b", "two words", "line1\nline2", "$(id)", "'\"", ""];

        var result = await Shell.RunAsync(["-c", "for a in \"$@\"; do printf '<%s>' \"$a\"; done", "sh", .. hostile], CancellationToken.None);

        Assert.Equal(string.Concat(hostile.Select(h => $"<{h}>")), result.Stdout.ToString());
    }

    [Fact]
    public async Task Streaming_hands_each_stream_to_its_own_callback_in_order()
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();

        var exitCode = await Shell.RunStreamingAsync(
            ["-c", "for i in 1 2 3; do echo o$i; echo e$i >&2; done"],
            (data, _) =>
            {
                lock (stdout)
                {
                    stdout.Append(Encoding.UTF8.GetString(data.Span));
                }

                return ValueTask.CompletedTask;
            },
            (data, _) =>
            {
                lock (stderr)
                {
                    stderr.Append(Encoding.UTF8.GetString(data.Span));
                }

                return ValueTask.CompletedTask;
            },
            CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal("o1\no2\no3\n", stdout.ToString());
        Assert.Equal("e1\ne2\ne3\n", stderr.ToString());
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"airut-test-{Guid.NewGuid():N}.pid");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Shell.RunAsync(["-c", $"sleep 300 & echo $! > {pidFile}; wait"], cts.Token));

            var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(IsAlive(grandchild), "the background sleep outlived the cancelled run");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task A_failing_sink_stops_the_child_and_surfaces_the_error()
    {
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Shell.RunStreamingAsync(
            ["-c", "echo first; sleep 300"],
            (_, _) => throw new InvalidOperationException("sink broke"),
            (_, _) => ValueTask.CompletedTask,
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_missing_executable_is_an_infrastructure_error()
    {
        var runner = new ProcessRunner("/nonexistent/podman", 1024);

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runner.RunAsync(["info"], CancellationToken.None));

        Assert.Contains("/nonexistent/podman", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_debug_level_each_run_is_logged_when_it_starts_and_ends_by_its_command_words_only()
    {
        var log = new RecordingLogger<ProcessRunnerTests>();
        var runner = new ProcessRunner("env", 1024, log);

        var result = await runner.RunAsync(["sh", "-c", "exit 3", "--env=TOKEN=hidden-value"], CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Collection(
            log.Lines,
            line => Assert.Matches(@"^env sh started \(pid \d+\)$", line.Message),
            line => Assert.Matches(@"^env sh \(pid \d+\) exited 3 after \d+ ms$", line.Message));
        Assert.All(log.Lines, line => Assert.Equal(LogLevel.Debug, line.Level));
    }

    private static bool IsAlive(int pid)
    {
        // A killed child may linger as a zombie until reaped; a zombie runs nothing.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var fields = File.ReadAllText(stat);
            return fields[(fields.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
