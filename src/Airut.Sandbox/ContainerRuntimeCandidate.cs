using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox;

/// <summary>A runtime automatic selection may choose: its name and how to create it.</summary>
/// <param name="Name">The runtime's name (<c>podman</c>, <c>docker</c>).</param>
/// <param name="Create">Creates the runtime.</param>
public sealed record ContainerRuntimeCandidate(string Name, Func<IContainerRuntime> Create);
