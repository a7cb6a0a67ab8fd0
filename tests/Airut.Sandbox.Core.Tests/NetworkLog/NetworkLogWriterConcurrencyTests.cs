using System.Diagnostics;
using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.NetworkLog;

/// <summary>
/// The writer and another process append to one file at the same time, as the DNS responder and the HTTP proxy
/// do (LOG-2). The child is a shell appending with <c>&gt;&gt;</c> (O_APPEND, one write per line); a writer that
/// wrote at its own tracked offset instead of O_APPEND would overwrite the child's lines.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class NetworkLogWriterConcurrencyTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    [Trait("Spec", "LOG-2")]
    public async Task LOG_2_threads_and_a_child_process_appending_together_lose_and_tear_no_line()
    {
        var path = temp.File("net.log");
        const int childLines = 3000;
        const int threads = 4;
        const int perThread = 3000;
        var childPayload = new string('c', 150);
        var ourPayload = new string('o', 150);

        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path });
        var script = $"i=0; while [ $i -lt {childLines} ]; do printf 'CHILD %05d {childPayload}\\n' $i >> \"$1\"; i=$((i+1)); done";
        using var child = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script, "sh", path } })!;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    writer.Write(new NetworkLogLine($"OURS{t} {i:D5} {ourPayload}", Loud: false));
                }
            })));
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }

        Assert.Equal(0, child.ExitCode);
        var lines = File.ReadAllLines(path);
        Assert.All(lines, l => Assert.Matches(@"^(CHILD \d{5} c{150}|OURS\d \d{5} o{150})$", l));
        Assert.Equal(childLines, lines.Count(l => l.StartsWith("CHILD", StringComparison.Ordinal)));
        Assert.Equal(threads * perThread, lines.Count(l => l.StartsWith("OURS", StringComparison.Ordinal)));
        Assert.Equal(lines.Length, lines.Distinct(StringComparer.Ordinal).Count());
    }
}
