using System.Text;
using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.NetworkLog;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class NetworkLogWriterTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    [Trait("Spec", "LOG-2")]
    public void LOG_2_each_line_is_on_disk_as_soon_as_it_is_written()
    {
        var path = temp.File("net.log");
        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path });

        writer.Write(new NetworkLogLine("first", Loud: false));
        Assert.Equal("first\n", File.ReadAllText(path));

        writer.Write(new NetworkLogLine("second", Loud: false));
        Assert.Equal("first\nsecond\n", File.ReadAllText(path));
    }

    [Fact]
    [Trait("Spec", "LOG-2")]
    public void LOG_2_an_existing_file_is_appended_to_never_truncated()
    {
        var path = temp.File("net.log");
        File.WriteAllText(path, "=== TASK START 2026-01-01T00:00:00Z ===\nDNS A a.test -> 10.0.0.1\n");

        using (var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path }))
        {
            writer.Write(NetworkLogLines.TaskStart(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)));
        }

        Assert.Equal(
            "=== TASK START 2026-01-01T00:00:00Z ===\nDNS A a.test -> 10.0.0.1\n=== TASK START 2026-01-02T00:00:00Z ===\n",
            File.ReadAllText(path));
    }

    [Fact]
    [Trait("Spec", "LOG-13")]
    public void LOG_13_loud_lines_also_go_to_the_stdout_sink_and_quiet_lines_do_not()
    {
        var path = temp.File("net.log");
        var sink = new StringWriter();
        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path }, sink);
        var url = NetworkLogUrl.Create(isTls: true, "a.test", 443, "/");

        writer.Write(NetworkLogLines.Access(NetworkLogVerdict.Allowed, "GET", url, 200));
        writer.Write(NetworkLogLines.Access(NetworkLogVerdict.Blocked, "GET", url, 403));
        writer.Write(NetworkLogLines.Error("GET", url, "timeout"));

        Assert.Equal(
            "ALLOWED GET https://a.test/ -> 200\nBLOCKED GET https://a.test/ -> 403\nERROR GET https://a.test/ -> timeout\n",
            File.ReadAllText(path));
        Assert.Equal(
            "BLOCKED GET https://a.test/ -> 403" + Environment.NewLine + "ERROR GET https://a.test/ -> timeout" + Environment.NewLine,
            sink.ToString());
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    public void LOG_15_a_hand_built_line_with_a_newline_stays_one_line()
    {
        var path = temp.File("net.log");
        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path });

        writer.Write(new NetworkLogLine("ALLOWED GET http://a.test/x\nBLOCKED GET http://b.test/ -> 403", Loud: false));

        Assert.Equal("ALLOWED GET http://a.test/x\\x0aBLOCKED GET http://b.test/ -> 403\n", File.ReadAllText(path));
    }

    [Fact]
    [Trait("Spec", "LOG-2")]
    public void LOG_2_many_threads_never_tear_or_lose_a_line()
    {
        var path = temp.File("net.log");
        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path });
        const int threads = 8;
        const int perThread = 2000;
        var payload = new string('p', 300);

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = 0; i < perThread; i++)
            {
                writer.Write(new NetworkLogLine($"T{t:D2} {i:D5} {payload}", Loud: false));
            }
        });

        var lines = File.ReadAllLines(path);
        Assert.Equal(threads * perThread, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^T\d\d \d{5} p{300}$", l));
        Assert.Equal(threads * perThread, lines.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public void RES_06_past_the_size_cap_one_warning_line_is_written_and_then_nothing()
    {
        var path = temp.File("net.log");
        var sink = new StringWriter();
        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path, SizeCapBytes = 1000 }, sink);

        for (var i = 0; i < 100; i++)
        {
            writer.Write(new NetworkLogLine($"DNS A host{i:D3}.flood.test -> 10.0.0.1", Loud: false));
        }

        writer.Write(new NetworkLogLine("BLOCKED GET http://late.test/ -> 403", Loud: true));

        var lines = File.ReadAllLines(path);
        Assert.Equal("WARNING: network log size cap reached", lines[^1]);
        Assert.Single(lines, l => l.StartsWith("WARNING", StringComparison.Ordinal));
        Assert.InRange(new FileInfo(path).Length, 1000, 1000 + 100);
        Assert.All(lines[..^1], l => Assert.Matches(@"^DNS A host\d{3}\.flood\.test -> 10\.0\.0\.1$", l));
        Assert.Contains("BLOCKED GET http://late.test/ -> 403", sink.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("late.test", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public void RES_06_a_second_writer_on_a_capped_file_adds_no_second_warning()
    {
        var path = temp.File("net.log");
        var options = new NetworkLogWriterOptions { Path = path, SizeCapBytes = 200 };
        using var first = new NetworkLogWriter(options);
        using var second = new NetworkLogWriter(options);

        for (var i = 0; i < 20; i++)
        {
            first.Write(new NetworkLogLine($"ALLOWED GET http://a.test/{i} -> 200", Loud: false));
        }

        second.Write(new NetworkLogLine("DNS A b.test -> 10.0.0.1", Loud: false));

        var text = File.ReadAllText(path);
        Assert.Single(text.Split('\n'), l => l == NetworkLogLines.SizeCapReachedText);
        Assert.DoesNotContain("b.test", text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-2")]
    public void LOG_2_writing_after_dispose_or_to_a_failing_sink_never_throws()
    {
        var path = temp.File("net.log");
        var sink = new StringWriter();
        var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path }, sink);
        sink.Dispose();

        writer.Write(new NetworkLogLine("BLOCKED GET http://a.test/ -> 403", Loud: true));
        writer.Dispose();
        writer.Write(new NetworkLogLine("ALLOWED GET http://a.test/ -> 200", Loud: false));

        Assert.Equal("BLOCKED GET http://a.test/ -> 403\n", File.ReadAllText(path));
    }

    [Fact]
    [Trait("Spec", "LOG-1")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void LOG_1_a_missing_file_is_created_owner_only()
    {
        var path = temp.File("new.log");
        using (var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path }))
        {
            writer.Write(new NetworkLogLine("x", Loud: false));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Opening_a_log_in_a_missing_directory_fails_with_an_io_error_naming_the_path()
    {
        var path = temp.File("no-such-dir/net.log");

        var error = Assert.Throws<IOException>(() => new NetworkLogWriter(new NetworkLogWriterOptions { Path = path }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-2")]
    public void LOG_2_lines_are_utf8_with_lf_endings()
    {
        var path = temp.File("net.log");
        using var writer = new NetworkLogWriter(new NetworkLogWriterOptions { Path = path });

        writer.Write(NetworkLogLines.Warning("naïve"));

        Assert.Equal(Encoding.UTF8.GetBytes("naïve\n"), File.ReadAllBytes(path));
    }
}
