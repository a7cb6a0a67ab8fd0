using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests.Faults;

/// <summary>
/// What the CLI fault tests share on one engine: a private data home (so the run directory root is the test's own),
/// an <c>--internal</c> egress network the test creates (nothing can leave the machine), workspaces, and lookups of a
/// CLI process's resources by the owner labels it put on them. Disposing removes everything any started CLI left.
/// </summary>
internal sealed class CliSandbox : IAsyncDisposable
{
    private readonly List<int> _owners = [];
    private readonly List<RunningCli> _processes = [];

    private CliSandbox(string engine, string scratch, string egressNetwork)
    {
        Engine = engine;
        Scratch = scratch;
        EgressNetwork = egressNetwork;
    }

    public string Engine { get; }

    public string Scratch { get; }

    public string EgressNetwork { get; }

    /// <summary>The CLI's run directory root under the private data home.</summary>
    public string RunRoot => Path.Combine(Scratch, "data", "airut-sandbox", "runs");

    public static async Task<CliSandbox> CreateAsync(string engine)
    {
        var scratch = Directory.CreateTempSubdirectory("airut-cli-faults-").FullName;
        var network = $"airut-clifault-{Guid.NewGuid().ToString("N")[..8]}-egress";
        var sandbox = new CliSandbox(engine, scratch, network);
        var created = await ExternalCommand.RunAsync(engine, ["network", "create", "--internal", network], TimeSpan.FromMinutes(2));
        if (created.ExitCode != 0)
        {
            Directory.Delete(scratch, recursive: true);
            Assert.Fail($"could not create {network}: {created.Stderr}");
        }

        return sandbox;
    }

    /// <summary>A workspace whose image is the offline client image and whose proxy egress is the test's network.</summary>
    public string Workspace(string name)
    {
        var workspace = Path.Combine(Scratch, name);
        Directory.CreateDirectory(Path.Combine(workspace, ".airut", "container"));
        File.WriteAllText(Path.Combine(workspace, ".airut", "container", "Dockerfile"), "FROM localhost/airut/client:bookworm\nWORKDIR /workspace\n");
        File.WriteAllText(Path.Combine(workspace, ".airut", "sandbox.yaml"), $"egress_network: {EgressNetwork}\nupstream_hosts_only: true\n");
        return workspace;
    }

    /// <summary>Starts <c>airut-sandbox run --verbose -- COMMAND</c> in <paramref name="workspace"/> on this engine.</summary>
    public RunningCli Start(string workspace, params string[] command)
    {
        var cli = RunningCli.Start(
            workspace,
            new Dictionary<string, string> { ["XDG_DATA_HOME"] = Path.Combine(Scratch, "data") },
            ["run", "--container-command", Engine, "--verbose", "--", .. command]);
        lock (_owners)
        {
            _owners.Add(cli.Pid);
            _processes.Add(cli);
        }

        return cli;
    }

    public Task<IReadOnlyList<string>> ContainersOfAsync(int owner) => NamesAsync(["ps", "-a", "--filter", OwnerFilter(owner), "--format", "{{.Names}}"]);

    public Task<IReadOnlyList<string>> NetworksOfAsync(int owner) => NamesAsync(["network", "ls", "--filter", OwnerFilter(owner), "--format", "{{.Name}}"]);

    public IReadOnlyList<string> RunDirectoriesOf(int owner) =>
        Directory.Exists(RunRoot)
            ? Directory.EnumerateDirectories(RunRoot).Where(d => RunDirectory.ReadOwner(d)?.Pid == owner).ToList()
            : [];

    /// <summary>Every container, network and run directory of <paramref name="owner"/>, for messages and emptiness checks.</summary>
    public async Task<IReadOnlyList<string>> EverythingOfAsync(int owner) =>
        [.. await ContainersOfAsync(owner), .. await NetworksOfAsync(owner), .. RunDirectoriesOf(owner)];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        foreach (var owner in _owners)
        {
            foreach (var container in await ContainersOfAsync(owner))
            {
                await ExternalCommand.RunAsync(Engine, ["rm", "-f", container], TimeSpan.FromMinutes(2));
            }

            foreach (var network in await NetworksOfAsync(owner))
            {
                await ExternalCommand.RunAsync(Engine, ["network", "rm", "-f", network], TimeSpan.FromMinutes(2));
            }
        }

        await ExternalCommand.RunAsync(Engine, ["network", "rm", "-f", EgressNetwork], TimeSpan.FromMinutes(2));
        Directory.Delete(Scratch, recursive: true);
    }

    private static string OwnerFilter(int owner) => $"label={RunLabels.OwnerPid}={owner}";

    private async Task<IReadOnlyList<string>> NamesAsync(string[] arguments)
    {
        var result = await ExternalCommand.RunAsync(Engine, arguments, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"{Engine} {string.Join(' ', arguments)}: {result.Stderr}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
