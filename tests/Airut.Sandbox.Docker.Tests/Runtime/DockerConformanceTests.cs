using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Runtime.Conformance;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Runtime;

/// <summary>The engine-neutral runtime suite on the real dockerd.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class DockerConformanceTests : ContainerRuntimeConformanceTests, IAsyncLifetime
{
    private readonly string _resolvConfDirectory = Directory.CreateTempSubdirectory("airut-docker-resolv-").FullName;

    protected override string ExpectedName => "docker";

    protected override IContainerRuntime CreateRuntime()
        => new DockerRuntime(new DockerRuntimeOptions { ResolvConfDirectory = _resolvConfDirectory });

    /// <summary>Runs the suite's cleanup, then removes this instance's resolv.conf directory.</summary>
    public new async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            Directory.Delete(_resolvConfDirectory, recursive: true);
        }
    }
}
