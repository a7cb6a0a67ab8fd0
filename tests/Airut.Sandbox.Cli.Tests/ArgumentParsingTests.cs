using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Cli.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ArgumentParsingTests
{
    [Fact]
    public void CLI_02_argv_splits_at_the_first_double_dash_and_passes_the_command_verbatim()
    {
        var split = ArgumentSplit.Of(["run", "--timeout", "30", "--", "sh", "-c", "echo --", "--", "--timeout"]);

        Assert.Equal(["run", "--timeout", "30"], split.Options);
        Assert.Equal(["sh", "-c", "echo --", "--", "--timeout"], split.Command);
    }

    [Theory]
    [Trait("Spec", "LOG-03")]
    [InlineData(false, false, null, LogLevel.Warning)]
    [InlineData(false, false, LogLevel.Debug, LogLevel.Information)]
    [InlineData(false, false, LogLevel.Warning, LogLevel.Information)]
    [InlineData(false, true, LogLevel.Trace, LogLevel.Debug)]
    public void LOG_03_a_proxy_log_level_raises_our_log_to_at_least_info_so_its_passed_on_lines_show(bool verbose, bool debug, LogLevel? proxy, LogLevel expected)
    {
        Assert.Equal(expected, new CliSettings { Verbose = verbose, Debug = debug, ProxyLogLevel = proxy }.LogLevel);
    }

    [Fact]
    public void CLI_02_without_double_dash_the_command_is_empty()
    {
        var split = ArgumentSplit.Of(["run", "--verbose"]);

        Assert.Equal(["run", "--verbose"], split.Options);
        Assert.Empty(split.Command);
    }

    [Fact]
    public void CLI_02_a_trailing_double_dash_gives_an_empty_command()
    {
        Assert.Empty(ArgumentSplit.Of(["run", "--"]).Command);
    }

    [Theory]
    [InlineData("/src:/dst", "/src", "/dst", false)]
    [InlineData("/src:/dst:ro", "/src", "/dst", true)]
    [InlineData("/a/b/../c:/workspace", "/a/c", "/workspace", false)]
    public void CLI_50_mounts_parse_as_read_write_or_read_only(string text, string source, string target, bool readOnly)
    {
        var mount = MountSpec.Parse(text, "/tmp");

        Assert.Equal(source, mount.Source);
        Assert.Equal(target, mount.Target);
        Assert.Equal(readOnly, mount.ReadOnly);
    }

    [Fact]
    public void CLI_50_a_relative_source_resolves_against_the_working_directory()
    {
        Assert.Equal("/work/dir/data", MountSpec.Parse("data:/data", "/work/dir").Source);
    }

    [Fact]
    public void CLI_50_a_symlinked_source_resolves_to_its_target()
    {
        var dir = Directory.CreateTempSubdirectory("airut-cli-test-");
        try
        {
            var target = Directory.CreateDirectory(Path.Combine(dir.FullName, "real"));
            var link = Path.Combine(dir.FullName, "link");
            Directory.CreateSymbolicLink(link, target.FullName);

            Assert.Equal(target.FullName, MountSpec.Parse($"{link}:/data", "/").Source);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("/src")]
    [InlineData("/src:/dst:rw")]
    [InlineData("/src:/dst:ro:extra")]
    [InlineData("/src:/dst:ro,z")]
    [InlineData("/src:relative")]
    [InlineData(":/dst")]
    [InlineData("/src:")]
    [InlineData("/a,b:/c:")]
    public void CLI_50_and_CFG_05_malformed_mounts_are_configuration_errors(string text)
    {
        var error = Assert.Throws<SandboxConfigurationException>(() => MountSpec.Parse(text, "/tmp"));

        Assert.Contains($"Invalid mount format: '{text}'", error.Message, StringComparison.Ordinal);
        Assert.Equal("--mount", error.Key);
    }

    [Theory]
    [InlineData(0, false, 0)]
    [InlineData(3, false, 3)]
    [InlineData(125, false, 125)]
    [InlineData(137, false, 137)]
    [InlineData(137, true, 124)]
    [InlineData(0, true, 124)]
    [InlineData(-9, false, 137)]
    [InlineData(-15, false, 143)]
    public void CLI_30_and_CLI_32_exit_codes_map_timeouts_to_124_and_signal_deaths_to_128_plus_signal(int code, bool timedOut, int expected)
    {
        Assert.Equal(expected, ExitCodes.For(code, timedOut));
    }

    [Theory]
    [InlineData(false, false, LogLevel.Warning)]
    [InlineData(true, false, LogLevel.Information)]
    [InlineData(false, true, LogLevel.Debug)]
    [InlineData(true, true, LogLevel.Debug)]
    public void CLI_20_log_level_follows_verbose_and_debug_flags(bool verbose, bool debug, LogLevel expected)
    {
        Assert.Equal(expected, CliLoggerProvider.LevelFor(verbose, debug));
    }

    [Fact]
    public void CLI_20_log_lines_carry_timestamp_level_logger_and_message()
    {
        using var writer = new StringWriter();
        using (var provider = new CliLoggerProvider(writer, ownsWriter: false, LogLevel.Information, new FixedTime()))
        {
            var logger = provider.CreateLogger("airut.sandbox");
            logger.LogDebug("hidden");
            logger.LogInformation("Network activity log: {Path}", "/tmp/net.log");
            logger.LogError("Configuration error: {Message}", "bad");
        }

        Assert.Equal(
            "2026-01-02 03:04:05 [INFO] airut.sandbox: Network activity log: /tmp/net.log\n" +
            "2026-01-02 03:04:05 [ERROR] airut.sandbox: Configuration error: bad\n",
            writer.ToString());
    }

    [Fact]
    public void CLI_20_log_file_is_appended_with_parents_created()
    {
        var dir = Directory.CreateTempSubdirectory("airut-cli-log-");
        try
        {
            var path = Path.Combine(dir.FullName, "a", "b", "cli.log");
            for (var i = 0; i < 2; i++)
            {
                using var provider = CliLoggerProvider.Create(path, LogLevel.Warning, new FixedTime());
                provider.CreateLogger("cli").LogWarning("line {Number}", i);
            }

            var lines = File.ReadAllLines(path);
            Assert.Equal(["2026-01-02 03:04:05 [WARNING] cli: line 0", "2026-01-02 03:04:05 [WARNING] cli: line 1"], lines);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
