using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Core.Running;

/// <summary>What the client (command) container is made of.</summary>
public sealed record ClientContainerRequest
{
    /// <summary>The run's resource names.</summary>
    public required RunResourceNames Names { get; init; }

    /// <summary>The repository image tag.</summary>
    public required string Image { get; init; }

    /// <summary>The command and its arguments.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The assembled environment (<see cref="ContainerEnvironment"/>).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    /// <summary>Absolute host path of the workspace.</summary>
    public required string WorkspaceDirectory { get; init; }

    /// <summary>User mounts; one on <c>/workspace</c> replaces the workspace mount (CLI-54).</summary>
    public IReadOnlyList<BindMount> Mounts { get; init; } = [];

    /// <summary>Resource limits.</summary>
    public ResourceLimits Limits { get; init; } = ResourceLimits.None;

    /// <summary>Host path of the passthrough entrypoint script.</summary>
    public required string EntrypointHostPath { get; init; }

    /// <summary>The internal network; null runs without the network sandbox (runtime default network).</summary>
    public InternalNetwork? Network { get; init; }

    /// <summary>Host path of the per-run CA certificate; required with <see cref="Network"/>.</summary>
    public string? CaCertificateHostPath { get; init; }

    /// <summary>Labels (run and owner).</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
}
