using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Docker;
using Airut.Sandbox.Podman;

namespace Airut.Sandbox.Core.Tests.Engines;

/// <summary>The real engines, for Runtime-category tests: each theory runs once per engine.</summary>
internal static class RealEngines
{
    public const string BaseImage = "localhost/airut/debian:bookworm";

    public static TheoryData<string> Names => new() { "podman", "docker" };

    public static IContainerRuntime Create(string name) => name switch
    {
        "podman" => new PodmanRuntime(new PodmanRuntimeOptions()),
        "docker" => new DockerRuntime(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown engine"),
    };
}
