using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Core.Tls;
using Airut.Sandbox.Testing;
using Airut.Sandbox.Testing.Recording;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>The <c>airut-proxy</c> program as a real child process: configuration from a file or stdin, readiness
/// line, LOG-3 marker, DNS + HTTP listeners, SIGTERM; refusal of a bad document with a clear message.</summary>
[Trait(TestCategories.Name, TestCategories.Proxy)]
public sealed class ProxyProgramTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("airut-proxy-program-").FullName;

    private static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "airut-proxy.dll");

    [Fact]
    [Trait("Spec", "LOG-3")]
    [Trait("Spec", "TOP-7")]
    public async Task The_program_reads_stdin_starts_every_listener_serves_and_stops_on_sigterm()
    {
        await using var upstream = new RecorderServer("allowed.test");
        using var ca = RunCertificateAuthority.Create("program test CA");
        ca.WritePemFiles(Path.Combine(_directory, "ca.pem"), Path.Combine(_directory, "ca.key"));
        var logPath = Path.Combine(_directory, "network.log");
        var readyFile = Path.Combine(_directory, "ready");
        var configuration = new ProxyConfiguration
        {
            Listen = new ProxyListeners { Http = ["127.0.0.1:0"], Https = ["127.0.0.1:0"], Dns = ["127.0.0.1:0"], DnsAnswer = "10.199.1.100" },
            Allowlist = new ProxyAllowlist { UrlPrefixes = [new ProxyUrlPrefix { Host = "allowed.test", Path = "/pub/*" }] },
            CaCertificatePath = Path.Combine(_directory, "ca.pem"),
            CaKeyPath = Path.Combine(_directory, "ca.key"),
            NetworkLogPath = logPath,
            UpstreamHosts = [ProxyHarness.Map("allowed.test", upstream)],
            UpstreamHostsOnly = true,
        };

        using var process = Start("--config", "-", "--ready-file", readyFile);
        await process.StandardInput.BaseStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(configuration, ProxyConfigurationJsonContext.Default.ProxyConfiguration));
        process.StandardInput.Close();
        try
        {
            var ready = await ReadLineStartingWithAsync(process, "airut-proxy ready ");
            var http = int.Parse(ready.Split(' ').Single(p => p.StartsWith("http=", StringComparison.Ordinal)).Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            var dns = int.Parse(ready.Split(' ').Single(p => p.StartsWith("dns=", StringComparison.Ordinal)).Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("https=127.0.0.1:", ready, StringComparison.Ordinal);
            Assert.True(File.Exists(readyFile));

            var allowed = await ExternalTool.RunAsync("curl", ["-sS", "--noproxy", "*", "--connect-to", $":80:127.0.0.1:{http}", "http://allowed.test/pub/x"]);
            Assert.Equal("ok from allowed.test /pub/x", allowed.Stdout);
            var answer = await QueryAsync(dns, "anything.test");
            Assert.Equal(new byte[] { 10, 199, 1, 100 }, answer[^4..]);

            Assert.Equal(0, (await ExternalTool.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).ExitCode);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);

            var lines = await File.ReadAllLinesAsync(logPath);
            Assert.StartsWith("=== TASK START ", lines[0], StringComparison.Ordinal);
            Assert.Contains("ALLOWED GET http://allowed.test/pub/x -> 200", lines);
            Assert.Contains("DNS A anything.test -> 10.199.1.100", lines);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [Trait("Spec", "PX-19")]
    [InlineData("{ not json", "configuration error: ")]
    [InlineData("{\"listen\": {\"http\": [\"127.0.0.1:0\"]}, \"allowlist\": {}, \"ca_certificate_path\": \"/nonexistent/ca.pem\", \"ca_key_path\": \"/nonexistent/ca.key\"}", "ca_certificate_path")]
    public async Task A_bad_document_exits_78_with_a_message_naming_the_file_and_key_and_listens_on_nothing(string json, string expected)
    {
        var path = Path.Combine(_directory, "proxy.json");
        await File.WriteAllTextAsync(path, json);

        using var process = Start("--config", path);
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(78, process.ExitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ready", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_arguments_exit_2_with_usage()
    {
        using var process = Start();
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--config", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Spec", "LOG-03")]
    [InlineData("loud")]
    [InlineData("0")]
    [InlineData("none")]
    public async Task LOG_03_an_unknown_log_level_exits_2_with_usage_naming_the_levels(string level)
    {
        using var process = Start("--config", "-", "--log-level", level);
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--log-level trace|debug|information|warning|error|critical", stderr, StringComparison.Ordinal);
    }

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ProgramPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<string> ReadLineStartingWithAsync(Process process, string prefix)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("airut-proxy exited before it was ready: " + await process.StandardError.ReadToEndAsync(limit.Token));
    }

    private static async Task<byte[]> QueryAsync(int port, string name)
    {
        var query = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(Encoding.ASCII.GetBytes(label));
        }

        query.AddRange([0, 0, 1, 0, 1]);
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        await udp.SendAsync(query.ToArray(), new IPEndPoint(IPAddress.Loopback, port));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return (await udp.ReceiveAsync(limit.Token)).Buffer;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
