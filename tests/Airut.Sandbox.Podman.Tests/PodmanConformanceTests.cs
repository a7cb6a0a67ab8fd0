using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Runtime.Conformance;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Podman.Tests;

[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class PodmanConformanceTests : ContainerRuntimeConformanceTests
{
    protected override string ExpectedName => "podman";

    protected override IContainerRuntime CreateRuntime() => new PodmanRuntime(new PodmanRuntimeOptions());
}
