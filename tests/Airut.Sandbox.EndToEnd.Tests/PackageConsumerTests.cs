using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>
/// What a user gets from the packages: eng/pack.sh fills a local feed, then a fresh project outside the repository
/// (its own nuget.config and package cache, so it cannot see repository projects) installs Airut.Sandbox, composes it
/// through DI and runs a command in a sandbox on podman; and the Airut.Sandbox.Cli tool installs and answers --help.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class PackageConsumerTests : IClassFixture<PackageConsumerTests.PackedFeed>
{
    private const string ClientImage = "localhost/airut/client:bookworm";
    private const string ProxyBaseImage = "localhost/airut/debian:bookworm";
    private const string Version = "0.1.0";

    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(10);

    private readonly PackedFeed _feed;

    public PackageConsumerTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public async Task A_fresh_project_installs_Airut_Sandbox_and_runs_a_sandboxed_command_leaving_nothing_behind()
    {
        var scratch = Directory.CreateTempSubdirectory("airut-consumer-").FullName;
        var prefix = "airut-pkg-" + Guid.NewGuid().ToString("N")[..8];
        var egress = prefix + "-egress";
        try
        {
            var project = Path.Combine(scratch, "consumer");
            Directory.CreateDirectory(project);
            var environment = PackedFeed.IsolatedEnvironment(scratch);
            await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), _feed.NuGetConfig());
            await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.props"), "<Project />\n");
            await File.WriteAllTextAsync(Path.Combine(project, "Consumer.csproj"), ConsumerProject);
            await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), ConsumerProgram);

            await DotnetAsync(project, environment, "add", "package", "Airut.Sandbox", "--version", Version);
            await DotnetAsync(project, environment, "build", "-c", "Release", "-o", Path.Combine(scratch, "out"), "--nologo");
            var program = Path.Combine(scratch, "out", "Consumer.dll");
            Assert.True(File.Exists(Path.Combine(scratch, "out", "airut-proxy", "airut-proxy")), "the package did not bring airut-proxy/ into the output");

            var workspace = Path.Combine(scratch, "repo");
            Directory.CreateDirectory(Path.Combine(workspace, ".airut", "container"));
            await File.WriteAllTextAsync(Path.Combine(workspace, ".airut", "container", "Dockerfile"), $"FROM {ClientImage}\nWORKDIR /workspace\n");
            // The proxy's egress side is an --internal network this test creates: nothing can leave the machine.
            await File.WriteAllTextAsync(Path.Combine(workspace, ".airut", "sandbox.yaml"), $"egress_network: {egress}\nupstream_hosts_only: true\n");
            await PodmanAsync("network", "create", "--internal", egress);

            var run = await ExternalCommand.RunAsync(
                "dotnet", [program, workspace, prefix, Path.Combine(scratch, "runs")], TimeSpan.FromMinutes(5), scratch, environment);

            Assert.True(run.ExitCode == 0, $"consumer exited {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
            Assert.Contains("hello-from-package", run.Stdout.Split('\n', StringSplitOptions.TrimEntries));
            Assert.Empty(await PodmanNamesAsync("ps", "-a", "--filter", $"label={RunLabels.Managed}", "--format", "{{.Names}}", prefix));
            Assert.Empty(await PodmanNamesAsync("network", "ls", "--filter", $"label={RunLabels.Managed}", "--format", "{{.Name}}", prefix));
        }
        finally
        {
            await ExternalCommand.RunAsync("podman", ["network", "rm", "-f", egress], TimeSpan.FromMinutes(1));
            foreach (var image in await PodmanNamesAsync("images", "--format", "{{.Repository}}:{{.Tag}}", "localhost/" + prefix))
            {
                await ExternalCommand.RunAsync("podman", ["rmi", "-f", image], TimeSpan.FromMinutes(1));
            }

            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task The_Cli_tool_package_installs_into_a_tool_path_and_answers_help()
    {
        var scratch = Directory.CreateTempSubdirectory("airut-tool-").FullName;
        try
        {
            var environment = PackedFeed.IsolatedEnvironment(scratch);
            var tools = Path.Combine(scratch, "tools");
            await File.WriteAllTextAsync(Path.Combine(scratch, "nuget.config"), _feed.NuGetConfig());
            await DotnetAsync(
                scratch, environment, "tool", "install", "--tool-path", tools, "--add-source", _feed.Directory,
                "--configfile", Path.Combine(scratch, "nuget.config"), "--version", Version, "Airut.Sandbox.Cli");

            var help = await ExternalCommand.RunAsync(Path.Combine(tools, "airut-sandbox"), ["--help"], TimeSpan.FromMinutes(1), scratch, environment);

            Assert.True(help.ExitCode == 0, $"airut-sandbox --help exited {help.ExitCode}:\n{help.Stdout}\n{help.Stderr}");
            Assert.Contains("airut-sandbox", help.Stdout, StringComparison.Ordinal);
            Assert.Contains("run", help.Stdout, StringComparison.Ordinal);
            // The tool's base directory holds airut-proxy/, where the CLI looks for the proxy program by default.
            var bundled = Directory.GetFiles(tools, "airut-proxy", SearchOption.AllDirectories);
            Assert.Contains(bundled, file => file.EndsWith("/tools/net10.0/any/airut-proxy/airut-proxy", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task DotnetAsync(string directory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync("dotnet", arguments, DotnetTimeout, directory, environment);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
    }

    private static async Task PodmanAsync(params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync("podman", arguments, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"podman {string.Join(' ', arguments)} failed: {result.Stderr}");
    }

    /// <summary>Output lines of a podman listing (all but the last argument) that start with the last argument.</summary>
    private static async Task<List<string>> PodmanNamesAsync(params string[] argumentsThenPrefix)
    {
        var result = await ExternalCommand.RunAsync("podman", argumentsThenPrefix[..^1], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"podman listing failed: {result.Stderr}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith(argumentsThenPrefix[^1], StringComparison.Ordinal))
            .ToList();
    }

    private const string ConsumerProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
        </Project>
        """;

    private const string ConsumerProgram = """
        using Airut.Sandbox;
        using Airut.Sandbox.Abstractions.Running;
        using Airut.Sandbox.Core;
        using Microsoft.Extensions.DependencyInjection;

        // args: workspace, resource prefix, run directory root
        var services = new ServiceCollection();
        services.AddAirutSandbox(o =>
                {
                    o.ProxyBaseImage = "localhost/airut/debian:bookworm";
                    o.ResourcePrefix = args[1];
                    o.RunDirectoryRoot = args[2];
                })
                .UseAvailableRuntime("podman");
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<ISandboxRunner>();
        var result = await runner.RunAsync(
            new SandboxRunRequest { Command = ["echo", "hello-from-package"], WorkspaceDirectory = args[0] },
            new ConsoleOutput(),
            CancellationToken.None);
        return result.ExitCode;

        sealed class ConsoleOutput : ISandboxOutput
        {
            public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken) { Console.Out.WriteLine(line); return ValueTask.CompletedTask; }
            public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken) { Console.Error.WriteLine(line); return ValueTask.CompletedTask; }
            public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        }
        """;

    /// <summary>The packages, packed once per test class by eng/pack.sh into a temp folder used as a local feed.</summary>
    public sealed class PackedFeed : IAsyncLifetime
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("airut-feed-").FullName;

        public async Task InitializeAsync()
        {
            var result = await ExternalCommand.RunAsync(
                "bash", [Path.Combine(RepositoryRoot.Path, "eng", "pack.sh"), Directory], TimeSpan.FromMinutes(20));
            Assert.True(result.ExitCode == 0, $"eng/pack.sh failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
            foreach (var id in new[] { "Airut.Sandbox", "Airut.Sandbox.Abstractions", "Airut.Sandbox.Core", "Airut.Sandbox.Proxy", "Airut.Sandbox.Docker", "Airut.Sandbox.Podman", "Airut.Sandbox.Cli" })
            {
                Assert.True(File.Exists(Path.Combine(Directory, $"{id}.{Version}.nupkg")), $"eng/pack.sh did not produce {id}.{Version}.nupkg");
            }
        }

        public Task DisposeAsync()
        {
            System.IO.Directory.Delete(Directory, recursive: true);
            return Task.CompletedTask;
        }

        /// <summary>nuget.config with only the local feed and nuget.org (for third-party dependencies).</summary>
        public string NuGetConfig() => $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Directory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """;

        /// <summary>A package cache of the test's own, so nothing restored from the repository can be picked up.</summary>
        public static IReadOnlyDictionary<string, string?> IsolatedEnvironment(string scratch) => new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = Path.Combine(scratch, "nuget-packages"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["AIRUT_CONTAINER_RUNTIME"] = null,
        };
    }
}
