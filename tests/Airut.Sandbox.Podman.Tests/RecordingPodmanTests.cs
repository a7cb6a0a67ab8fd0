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
}
