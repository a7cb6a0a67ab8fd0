using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;
using Xunit.Abstractions;

namespace Airut.Sandbox.EndToEnd.Tests.Faults;

/// <summary>
/// The engines' own logs of the containers' stdout/stderr live on the host disk, outside every quota the run sets.
/// A command that floods its output, and a flood of blocked requests (the proxy copies each BLOCKED line to its
/// stdout), must not grow them without bound: the client's is not kept at all, the proxy's stays under its cap.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
[Collection(EngineLogFloodTests.Alone)]
public sealed class EngineLogFloodTests : IClassFixture<PublishedProxyFixture>, IDisposable
{
    /// <summary>
    /// Pushing 200 MB through the engines loads the machine enough to make other classes' timed waits flaky, so this
    /// class runs on its own, after them.
    /// </summary>
    public const string Alone = "engine log floods, run alone";

    private const int FloodBytes = 100_000_000;
    private const int BlockedRequests = 2000;
    private const int BlockedPathLength = 8000;

    // One chunk of slack over the cap: an engine truncates or rotates only after the write that crosses it.
    private const long ProxyLogSlack = 64 * 1024;

    private readonly PublishedProxyFixture _proxy;
    private readonly ITestOutputHelper _log;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airut-e2e-faults-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public EngineLogFloodTests(PublishedProxyFixture proxy, ITestOutputHelper log)
    {
        _proxy = proxy;
        _log = log;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("podman")]
    [InlineData("docker")]
    [Trait("Spec", "RES-03")]
    [Trait("Spec", "RES-05")]
    [Trait("Spec", "RES-06")]
    public async Task RES_03_RES_05_RES_06_output_and_blocked_request_floods_leave_no_client_engine_log_and_a_capped_proxy_engine_log_on_the_host(string engine)
    {
        await using var sandbox = await SandboxUnderTest.CreateAsync(engine, _scratch, _suffix, _proxy.Directory, output: _log);
        var flooded = Path.Combine(sandbox.Workspace, "flooded");
        var measured = Path.Combine(sandbox.Workspace, "measured");
        // 100 MB on each stream as one line (the runner cuts it into capped pieces), then 2000 blocked requests with
        // 8 KB paths (16 MB of BLOCKED lines on the proxy's stdout); then the command waits, alive, until measured.
        var script =
            $"head -c {FloodBytes} /dev/zero | tr '\\0' o; echo; " +
            $"head -c {FloodBytes} /dev/zero | tr '\\0' e >&2; echo >&2; " +
            $"path=$(head -c {BlockedPathLength} /dev/zero | tr '\\0' p); " +
            $"curl -s --max-time 120 \"http://flood.test/[1-{BlockedRequests}]/$path\" > /dev/null; " +
            "echo curl=$?; " +
            "touch /workspace/flooded; " +
            "while [ ! -e /workspace/measured ]; do sleep 0.2; done; " +
            "echo finished";
        var output = new CountingOutput();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(20));

        var run = sandbox.Runner.RunAsync(new SandboxRunRequest { Command = ["sh", "-c", script], WorkspaceDirectory = sandbox.Workspace }, output, patience.Token);
        while (!File.Exists(flooded) && !run.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), patience.Token);
        }

        Assert.False(run.IsCompleted, "the run ended before the floods were done: " + string.Join('\n', output.ShortLines));
        var containers = await sandbox.Runtime.ListContainersAsync(RunLabels.ManagedSelector, CancellationToken.None);
        var client = Assert.Single(containers, c => c.Name.StartsWith($"airut-e2e-{_suffix}-run-", StringComparison.Ordinal));
        var proxy = Assert.Single(containers, c => c.Name.StartsWith($"airut-e2e-{_suffix}-proxy-", StringComparison.Ordinal));
        var clientLog = await EngineLogAsync(engine, client.Id);
        var proxyLog = await EngineLogAsync(engine, proxy.Id);
        var proxyLogs = await sandbox.Runtime.GetLogsAsync(proxy.Id, CancellationToken.None);
        var clientLogsError = await Record.ExceptionAsync(() => sandbox.Runtime.GetLogsAsync(client.Id, CancellationToken.None));
        await File.WriteAllTextAsync(measured, string.Empty);
        var result = await run;
        _log.WriteLine($"{engine}: client engine log '{clientLog.Path}' {clientLog.Bytes} B, directory {clientLog.ContainerDirectoryBytes} B; " +
            $"proxy engine log '{proxyLog.Path}' {proxyLog.Bytes} B, directory {proxyLog.ContainerDirectoryBytes} B");

        // RES-03: nothing of the 200 MB the command wrote is on the host disk through the engine.
        Assert.True(clientLog.Path.Length == 0 || clientLog.Bytes == 0, $"the client's engine log {clientLog.Path} holds {clientLog.Bytes} bytes");
        Assert.True(clientLog.ContainerDirectoryBytes < 1024 * 1024, $"the client's engine directory holds {clientLog.ContainerDirectoryBytes} bytes");
        Assert.IsAssignableFrom<SandboxInfrastructureException>(clientLogsError);

        // RES-06: the proxy wrote 16 MB of BLOCKED lines; its engine log holds at most the cap, and still the newest ones.
        Assert.True(proxyLog.Path.Length > 0, "the proxy has no engine log, so a failed start could not be diagnosed");
        Assert.True(
            proxyLog.Bytes <= ProxyContainerSpecFactory.LogCapBytes + ProxyLogSlack,
            $"the proxy's engine log {proxyLog.Path} holds {proxyLog.Bytes} bytes, over the cap of {ProxyContainerSpecFactory.LogCapBytes}");
        Assert.True(
            proxyLog.ContainerDirectoryBytes <= ProxyContainerSpecFactory.LogCapBytes + (1024 * 1024),
            $"the proxy's engine directory holds {proxyLog.ContainerDirectoryBytes} bytes");
        Assert.Contains("BLOCKED GET http://flood.test/" + BlockedRequests + "/", proxyLogs.Stdout, StringComparison.Ordinal);

        // RES-05: the run completes, every byte arrived through attach, in lines no longer than the runner's cap.
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: " + string.Join('\n', output.ShortLines));
        Assert.False(result.TimedOut);
        Assert.Equal(FloodBytes, output.StdoutFloodChars);
        Assert.Equal(FloodBytes, output.StderrFloodChars);
        Assert.InRange(output.LongestLine, 1, LinePump.DefaultMaxLineLength);
        Assert.Contains("curl=0", output.ShortLines);
        Assert.Contains("finished", output.ShortLines);
        await sandbox.AssertNothingLeftAsync();
    }

    /// <summary>The engine's log file of a container (empty path: none) with its rotated siblings, and the container's engine directory.</summary>
    private static async Task<EngineLog> EngineLogAsync(string engine, string id)
    {
        var format = engine == "docker"
            ? "{{.LogPath}}|{{.HostnamePath}}"
            : "{{.HostConfig.LogConfig.Path}}|{{.StaticDir}}";
        var inspected = await ExternalCommand.RunAsync(engine, ["inspect", "--format", format, id], TimeSpan.FromMinutes(2));
        Assert.True(inspected.ExitCode == 0, $"{engine} inspect {id}: {inspected.Stderr}");
        var parts = inspected.Stdout.Trim().Split('|');
        var logPath = parts[0];

        // docker: /var/lib/docker/containers/<id>/hostname; podman: .../overlay-containers/<id>/userdata.
        var directory = engine == "docker" ? Path.GetDirectoryName(parts[1])! : parts[1];
        Assert.True(Directory.Exists(directory), $"{engine} container directory {directory} not found");
        var directoryBytes = new DirectoryInfo(directory).EnumerateFiles().Sum(f => f.Length);
        if (logPath.Length == 0)
        {
            return new EngineLog(logPath, 0, directoryBytes);
        }

        var logFile = new FileInfo(logPath);
        var logBytes = logFile.Directory!.EnumerateFiles(logFile.Name + "*").Sum(f => f.Length);
        return new EngineLog(logPath, logBytes, directoryBytes);
    }

    private sealed record EngineLog(string Path, long Bytes, long ContainerDirectoryBytes);

    /// <summary>Counts the flood instead of keeping it; keeps only the short lines (the script's own messages).</summary>
    private sealed class CountingOutput : ISandboxOutput
    {
        private readonly Lock _gate = new();

        public List<string> ShortLines { get; } = [];

        public long StdoutFloodChars { get; private set; }

        public long StderrFloodChars { get; private set; }

        public int LongestLine { get; private set; }

        public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                StdoutFloodChars += Count(line, 'o');
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                StderrFloodChars += Count(line, 'e');
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        private long Count(string line, char flood)
        {
            LongestLine = Math.Max(LongestLine, line.Length);
            var floodChars = line.AsSpan().Count(flood);
            if (floodChars != line.Length || line.Length == 0)
            {
                ShortLines.Add(line.Length > 200 ? line[..200] : line);
            }

            return floodChars;
        }
    }
}
