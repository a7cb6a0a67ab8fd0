using System.Net;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Podman.Tests;

/// <summary>
/// PodmanRuntime against a stand-in podman that records its argv (NUL-separated) and prints a canned answer:
/// what reaches the engine is exactly the argument array, whatever the values hold (CFG-05). Runs a child
/// process, no engine.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class RecordingPodmanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("airut-test-fakepodman-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task CFG_05_hostile_spec_values_arrive_as_single_arguments()
    {
        var runtime = FakePodman("printf 'abc123\\n'; exit 0");
        var spec = new ContainerSpec
        {
            Name = "airut-test-argv",
            Image = "localhost/airut/client:bookworm",
            Command = ["--privileged", "x\n--net=host"],
            Environment = [new("TOKEN", "v=1\n--cap-add=ALL")],
            Networks = [new NetworkAttachment("airut-test-n", IPAddress.Parse("10.199.1.5"))],
            WorkingDirectory = "--rm",
        };

        var id = await runtime.CreateContainerAsync(spec, CancellationToken.None);

        Assert.Equal("abc123", id);
        Assert.Equal(PodmanCommandLine.CreateContainer(spec), RecordedArguments());
    }

    [Fact]
    public async Task Engine_failure_carries_the_engine_stderr_but_not_the_argument_values()
    {
        var runtime = FakePodman("echo 'Error: boom from engine' >&2; exit 125");
        var spec = new ContainerSpec
        {
            Name = "airut-test-argv",
            Image = "i",
            Environment = [new("TOKEN", "surrogate-value-123")],
        };

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.CreateContainerAsync(spec, CancellationToken.None));

        Assert.Contains("Error: boom from engine", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit 125", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("surrogate-value-123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_podman_is_reported_with_how_to_fix_it()
    {
        var runtime = new PodmanRuntime(new PodmanRuntimeOptions { PodmanPath = Path.Combine(_directory, "no-such-podman") });

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.GetInfoAsync(CancellationToken.None));

        Assert.Contains("install it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "CLI-30")]
    public async Task CLI_30_a_podman_that_does_not_answer_is_reported_with_its_own_error_and_how_to_start_the_service()
    {
        var runtime = FakePodman("echo 'Error: unable to connect to Podman socket: dial unix /run/x.sock: connect: no such file or directory' >&2; exit 125");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.GetInfoAsync(CancellationToken.None));

        Assert.StartsWith("podman at '", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not answer (podman info exit 125)", error.Message, StringComparison.Ordinal);
        Assert.Contains("dial unix /run/x.sock", error.Message, StringComparison.Ordinal);
        Assert.Contains("podman system service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "NET-05")]
    public async Task NET_05_rules_a_killed_run_left_on_a_bridge_are_removed_before_a_new_network_on_that_bridge_gets_its_own()
    {
        // A podman that creates the network on bridge podman7, and an iptables whose FORWARD chain still holds the rule
        // of a removed network that had podman7, the rule of a live network on podman8 and a rule that is not ours
        // (and a chain we never write to, which is left alone).
        var podman = Path.Combine(_directory, "podman");
        File.WriteAllText(podman, """
            #!/bin/sh
            case "$1 $2" in
              "network create") echo net-new ;;
              "network inspect") echo '[{"name":"airut-new","id":"1","network_interface":"podman7","internal":true,"subnets":[{"subnet":"10.199.7.0/24","gateway":"10.199.7.1"}]}]' ;;
            esac
            """);
        var iptables = Path.Combine(_directory, "iptables");
        var calls = Path.Combine(_directory, "iptables-calls");
        File.WriteAllText(iptables, $$"""
            #!/bin/sh
            echo "$*" >> '{{calls}}'
            if [ "$2" = "-S" ]; then
              echo '-P FORWARD DROP'
              echo '-A DOCKER-USER -i podman7 -m comment --comment "airut-net:airut-gone" -j RETURN'
              echo '-A FORWARD -i podman7 -o podman7 -m comment --comment "airut-net:airut-gone" -j ACCEPT'
              echo '-A FORWARD -i podman8 -o podman8 -m comment --comment "airut-net:airut-live" -j ACCEPT'
              echo '-A FORWARD -i podman7 -j ACCEPT'
            fi
            """);
        foreach (var script in new[] { podman, iptables })
        {
            File.SetUnixFileMode(script, (UnixFileMode)0x1C0);
        }

        var runtime = new PodmanRuntime(new PodmanRuntimeOptions { PodmanPath = podman, IptablesPath = iptables, Ip6tablesPath = Path.Combine(_directory, "no-ip6tables") });
        await runtime.CreateNetworkAsync(new NetworkSpec("airut-new", null, Internal: true, IsolateFromHost: false, new Dictionary<string, string>()), CancellationToken.None);

        var recorded = File.ReadAllLines(calls).Where(c => !c.StartsWith("-w -S", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "-w -D FORWARD -i podman7 -o podman7 -m comment --comment airut-net:airut-gone -j ACCEPT",
                "-w -I FORWARD 1 -i podman7 -o podman7 -m comment --comment airut-net:airut-new -j ACCEPT",
            ],
            recorded);
    }

    [Fact]
    public async Task A_build_that_loses_its_cached_layer_to_a_concurrent_removal_is_built_again()
    {
        // Fails twice the way podman 4 does when another client removes a layer the build reused, then succeeds.
        var runtime = FakePodman(
            $"n=$(cat '{_directory}/count' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '{_directory}/count'\n" +
            "if [ $n -lt 3 ]; then echo 'Error: checking if cached image exists from a previous build: getting top layer info: layer not known' >&2; exit 125; fi\n" +
            "echo built");
        var lines = new List<string>();

        await runtime.BuildImageAsync(BuildRequest(), new SynchronousProgress(lines), CancellationToken.None);

        Assert.Equal("3", File.ReadAllText(Path.Combine(_directory, "count")).Trim());
        Assert.Equal("built", lines[^1]);
    }

    [Fact]
    public async Task A_build_that_keeps_losing_the_race_fails_after_the_last_attempt_with_podmans_error()
    {
        var runtime = FakePodman(
            $"echo x >> '{_directory}/count'; " +
            "echo 'Error: getting source imageReference for \"4c91a9\": cannot specify 64-byte hexadecimal strings' >&2; exit 125");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.BuildImageAsync(BuildRequest(), null, CancellationToken.None));

        Assert.Equal(PodmanRuntime.ImageRaceAttempts, File.ReadAllLines(Path.Combine(_directory, "count")).Length);
        Assert.Contains("cannot specify 64-byte hexadecimal strings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_build_failure_is_reported_at_once()
    {
        var runtime = FakePodman($"echo x >> '{_directory}/count'; echo 'Error: RUN false: exit status 1' >&2; exit 1");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.BuildImageAsync(BuildRequest(), null, CancellationToken.None));

        Assert.Single(File.ReadAllLines(Path.Combine(_directory, "count")));
        Assert.Contains("exit 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("RUN false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_held_only_by_another_tools_build_loses_its_reference_and_the_removal_succeeds()
    {
        var runtime = FakePodman(
            $"echo \"$*\" >> '{_directory}/calls'\n" +
            "case \"$1 $2\" in\n" +
            "  'image rm') echo 'Error: image used by 8aef28: image is in use by a container: consider listing external containers and force-removing image' >&2; exit 2;;\n" +
            "  'ps --all') exit 0;;\n" +
            "esac");

        await runtime.RemoveImageAsync("localhost/airut-test:x", CancellationToken.None);

        Assert.Equal(
            ["image rm --ignore -- localhost/airut-test:x", "ps --all --quiet --filter=ancestor=localhost/airut-test:x", "image untag -- localhost/airut-test:x"],
            File.ReadAllLines(Path.Combine(_directory, "calls")));
    }

    [Fact]
    public async Task An_image_a_container_was_created_from_is_not_removed_and_the_engine_error_is_reported()
    {
        var runtime = FakePodman(
            $"echo \"$*\" >> '{_directory}/calls'\n" +
            "case \"$1 $2\" in\n" +
            "  'image rm') echo 'Error: image used by 8aef28: image is in use by a container' >&2; exit 2;;\n" +
            "  'ps --all') echo 8aef28; exit 0;;\n" +
            "esac");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.RemoveImageAsync("localhost/airut-test:x", CancellationToken.None));

        Assert.Contains("image is in use by a container", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(_directory, "calls")), call => call.StartsWith("image untag", StringComparison.Ordinal));
    }

    private ImageBuildRequest BuildRequest() =>
        new(_directory, Path.Combine(_directory, "Dockerfile"), "localhost/airut-test:x", NoCache: false, new Dictionary<string, string>());

    private PodmanRuntime FakePodman(string body)
    {
        var script = Path.Combine(_directory, "podman");
        var record = Path.Combine(_directory, "argv");
        File.WriteAllText(script, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > '{record}'\n{body}\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1C0);
        return new PodmanRuntime(new PodmanRuntimeOptions { PodmanPath = script });
    }

    private string[] RecordedArguments()
    {
        var text = File.ReadAllText(Path.Combine(_directory, "argv"));
        return text.Split('\0')[..^1];
    }

    /// <summary>Reports on the calling thread, so the lines are all there when the build returns.</summary>
    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
