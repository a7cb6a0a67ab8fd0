using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Runtime.Conformance;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Runtime;

/// <summary>The engine-neutral runtime suite on the real dockerd.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class DockerConformanceTests : ContainerRuntimeConformanceTests
{
    protected override string ExpectedName => "docker";

    protected override IContainerRuntime CreateRuntime() => new DockerRuntime();
}
