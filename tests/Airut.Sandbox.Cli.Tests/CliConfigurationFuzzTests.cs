using System.Text.RegularExpressions;
using Airut.Sandbox.Testing;
using Airut.Sandbox.Testing.Fuzzing;

namespace Airut.Sandbox.Cli.Tests;

/// <summary>
/// Issue 8 at the CLI level, on podman: mutated .airut/ workspaces through the real airut-sandbox program with
/// <c>-- true</c>. Each ends in exit 0 or in exit 125 with "Configuration error: FILE:LINE:COLUMN"; a refused one
/// never asks the engine to create anything (every engine call goes through a recording wrapper) and leaves no run
/// directory. No secret reaches the output. <c>AIRUT_FUZZ_SEED</c> and <c>AIRUT_CLI_FUZZ_CASES</c> override the defaults.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed partial class CliConfigurationFuzzTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int DefaultSeed = 20261122;
    private const int DefaultCases = 30;
    private const string HostSecret = "hostSecretQ8vTz3LmW1xK7pN4rB6";
    private const string InlineSecret = "ghp_inlineSecretJ5sD2fG9hA0kL3mZ8";

    private const string SandboxDocument = $"""
        env:
          CI: "true"
          BUILD_TOKEN: !env FUZZ_CLI_HOST_SECRET
        masked_secrets:
          GH_TOKEN:
            value: "{InlineSecret}"
            scopes: ["api.github.test"]
            headers: ["Authorization"]
        resource_limits:
          timeout: 300
          memory: 1g
          pids_limit: 256
        upstream_hosts_only: true

        """;

    private const string AllowlistDocument = """
        domains:
          - api.github.test
        url_prefixes:
          - host: registry.test
            path: /v2/*
            methods: [GET]

        """;

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("airut-cli-fuzz-");
    private readonly string _egress = "airut-cli-fuzz-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        var created = await ExternalCommand.RunAsync("podman", ["network", "create", "--internal", _egress], TimeSpan.FromMinutes(2));
        Assert.True(created.ExitCode == 0, created.Stderr);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await ExternalCommand.RunAsync("podman", ["network", "rm", "--force", _egress], TimeSpan.FromMinutes(2));
        }
        finally
        {
            _scratch.Delete(recursive: true);
        }
    }

    [Fact]
    [Trait("Spec", "CFG-03")]
    [Trait("Spec", "CFG-09")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task CFG_03_CFG_09_mutated_workspaces_run_or_exit_125_with_a_location_and_a_refused_one_creates_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("AIRUT_FUZZ_SEED"), out var given) ? given : DefaultSeed;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("AIRUT_CLI_FUZZ_CASES"), out var count) ? count : DefaultCases;
        var engineCalls = Path.Combine(_scratch.FullName, "engine-calls.log");
        var wrapper = WriteRecordingPodman(engineCalls);
        var dataHome = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "data")).FullName;
        var runs = Path.Combine(dataHome, "airut-sandbox", "runs");
        var environment = new Dictionary<string, string?>
        {
            ["AIRUT_PROXY_BASE_IMAGE"] = "localhost/airut/debian:bookworm",
            ["XDG_DATA_HOME"] = dataHome,
            ["FUZZ_CLI_HOST_SECRET"] = HostSecret,
        };

        int ran = 0, refused = 0;
        for (var i = 0; i < cases; i++)
        {
            // Case 0 is the unmutated workspace, so the harness is shown to reach exit 0 at all.
            var mutateAllowlist = i % 2 == 1;
            var documentSeed = ConfigDocumentMutator.SeedFor(seed, i);
            var mutation = i == 0 ? null : ConfigDocumentMutator.Mutate(mutateAllowlist ? AllowlistDocument : SandboxDocument, documentSeed);
            var where = i == 0
                ? "case 0 (unmutated)"
                : $"case {i}: AIRUT_FUZZ_SEED={seed}, {(mutateAllowlist ? "network-allowlist" : "sandbox")}.yaml, document seed {documentSeed}, mutations {string.Join(", ", mutation!.Applied)}";
            var workspace = WriteWorkspace(i, mutation is not null && !mutateAllowlist ? mutation.Bytes : null, mutation is not null && mutateAllowlist ? mutation.Bytes : null);
            File.WriteAllText(engineCalls, string.Empty);

            ExternalCommand.Result result;
            var attempts = 0;
            do
            {
                // The CLI waits 10 s for the proxy; on a machine this loaded a valid run can miss that. Such a run
                // got past configuration, so it is tried again rather than counted as a configuration outcome.
                result = await ExternalCommand.RunAsync(
                    CliProcess.Program,
                    ["run", "--container-command", wrapper, "--egress-network", _egress, "--", "true"],
                    TimeSpan.FromMinutes(10),
                    workspace,
                    environment);
            }
            while (++attempts < 3 && result.ExitCode == 125 && ProxyNotReady().IsMatch(result.Stderr));

            var output = result.Stdout + result.Stderr;
            Assert.True(!ContainsSecret(output), $"{where}: the output holds a secret");
            Assert.True(!Directory.Exists(runs) || !Directory.EnumerateFileSystemEntries(runs).Any(), $"{where}: a run directory was left behind");
            if (result.ExitCode == 0)
            {
                ran++;
                continue;
            }

            Assert.True(result.ExitCode == 125, $"{where}: exit {result.ExitCode}\n{Redact(result.Stderr)}");
            Assert.True(ConfigurationErrorAt().IsMatch(result.Stderr), $"{where}: no 'Configuration error: FILE:LINE:COLUMN':\n{Redact(result.Stderr)}");
            var creating = File.ReadAllLines(engineCalls).Where(l => CreatingCall().IsMatch(l)).ToList();
            Assert.True(creating.Count == 0, $"{where}: a refused run asked the engine to: {string.Join(" | ", creating)}");
            refused++;
            Assert.NotEqual(0, i);
        }

        output.WriteLine($"seed {seed}: {cases} workspaces, {ran} ran (exit 0), {refused} refused (exit 125)");
        Assert.True(ran >= 1 && refused >= cases / 2, $"{ran} ran, {refused} refused of {cases}");
    }

    private string WriteWorkspace(int index, byte[]? sandbox, byte[]? allowlist)
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_scratch.FullName, $"ws{index}")).FullName;
        var airut = Directory.CreateDirectory(Path.Combine(workspace, ".airut", "container")).Parent!.FullName;
        File.WriteAllText(Path.Combine(airut, "container", "Dockerfile"), "FROM localhost/airut/client:bookworm\n");
        File.WriteAllBytes(Path.Combine(airut, "sandbox.yaml"), sandbox ?? System.Text.Encoding.UTF8.GetBytes(SandboxDocument));
        File.WriteAllBytes(Path.Combine(airut, "network-allowlist.yaml"), allowlist ?? System.Text.Encoding.UTF8.GetBytes(AllowlistDocument));
        return workspace;
    }

    /// <summary>A podman that records each call's arguments, one line per call, then runs the real podman.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private string WriteRecordingPodman(string log)
    {
        var path = Path.Combine(_scratch.FullName, "recording-podman");
        File.WriteAllText(path, $"#!/bin/bash\nprintf '%s\\n' \"$*\" >> '{log}'\nexec podman \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static IEnumerable<string> SecretPieces =>
        new[] { HostSecret, InlineSecret }.SelectMany(s => Enumerable.Range(0, s.Length - 9).Select(i => s.Substring(i, 10)));

    private static bool ContainsSecret(string text) => SecretPieces.Any(p => text.Contains(p, StringComparison.Ordinal));

    private static string Redact(string text) => SecretPieces.Aggregate(text, (t, p) => t.Replace(p, "***", StringComparison.Ordinal));

    [GeneratedRegex(@"Configuration error: \S*\.airut/(sandbox|network-allowlist)\.yaml:\d+:\d+: ")]
    private static partial Regex ConfigurationErrorAt();

    [GeneratedRegex(@"Sandbox infrastructure error: Proxy \S+ not ready after")]
    private static partial Regex ProxyNotReady();

    /// <summary>Any engine call that would make something: containers, networks, images, volumes.</summary>
    [GeneratedRegex(@"(^| )(create|run|build|start|pull|load|import|commit|tag)( |$)")]
    private static partial Regex CreatingCall();
}
