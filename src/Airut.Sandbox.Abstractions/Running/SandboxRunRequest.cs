using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Abstractions.Running;

/// <summary>One sandboxed command.</summary>
public sealed record SandboxRunRequest
{
    /// <summary>The command and its arguments (no shell is added).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Absolute path of the workspace, mounted at <c>/workspace</c>.</summary>
    public required string WorkspaceDirectory { get; init; }

    /// <summary><c>.airut/sandbox.yaml</c> path; null means the default relative to the workspace (missing is fine).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Allowlist path; null means the default relative to the workspace (missing = block all).</summary>
    public string? AllowlistPath { get; init; }

    /// <summary>Dockerfile path; null means <c>.airut/container/Dockerfile</c>.</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>Build context; null means the Dockerfile's directory.</summary>
    public string? ContextDirectory { get; init; }

    /// <summary>Extra bind mounts; one on <c>/workspace</c> replaces the workspace mount.</summary>
    public IReadOnlyList<BindMount> Mounts { get; init; } = [];

    /// <summary>Overrides <c>resource_limits.timeout</c> (at least 10 s).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Append the network log to this file.</summary>
    public string? NetworkLogPath { get; init; }

    /// <summary>Send network log lines to <see cref="ISandboxOutput.NetworkLogLineAsync"/> as they are written.</summary>
    public bool FollowNetworkLog { get; init; }

    /// <summary>Overrides <c>egress_network</c>.</summary>
    public string? EgressNetwork { get; init; }

    /// <summary>Rebuild the repository image even when it is fresh.</summary>
    public bool ForceImageBuild { get; init; }

    /// <summary>Rebuild images older than this.</summary>
    public TimeSpan? MaxImageAge { get; init; }

    /// <summary>Sets <c>AIRUT_VERBOSE=1</c> in the container.</summary>
    public bool Verbose { get; init; }
}
