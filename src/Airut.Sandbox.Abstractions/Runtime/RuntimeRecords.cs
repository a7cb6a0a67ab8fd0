using System.Net;

namespace Airut.Sandbox.Abstractions.Runtime;

/// <summary>What the engine says about itself.</summary>
public sealed record RuntimeInfo(string Name, string Version, string? ApiVersion);

/// <summary>An image build.</summary>
/// <param name="ContextDirectory">Directory sent as build context.</param>
/// <param name="DockerfilePath">Dockerfile path (absolute, or relative to the context).</param>
/// <param name="Tag">The tag to give the image.</param>
/// <param name="NoCache">Build without layer cache.</param>
/// <param name="Labels">Labels set on the image.</param>
public sealed record ImageBuildRequest(
    string ContextDirectory,
    string DockerfilePath,
    string Tag,
    bool NoCache,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>An image as the engine reports it.</summary>
public sealed record ImageInfo(string Id, IReadOnlyList<string> Tags, DateTimeOffset Created, IReadOnlyDictionary<string, string> Labels);

/// <summary>A network to create.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Subnet">IPv4 subnet in CIDR form (<c>10.199.7.0/24</c>), or null to let the engine choose.</param>
/// <param name="Internal">No route off the network through the engine (no NAT, no masquerade).</param>
/// <param name="IsolateFromHost">
/// Containers on it cannot reach any host port (NET-05). The backend must ensure it (no bridge address,
/// or its own firewall rule) or throw; it never creates the network unprotected.
/// </param>
/// <param name="Labels">Labels for cleanup by owner.</param>
public sealed record NetworkSpec(
    string Name,
    string? Subnet,
    bool Internal,
    bool IsolateFromHost,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>A network as the engine reports it.</summary>
public sealed record NetworkInfo(string Name, string Id, string? Subnet, string? Gateway, bool Internal, IReadOnlyDictionary<string, string> Labels);

/// <summary>A container to create.</summary>
public sealed record ContainerSpec
{
    /// <summary>Unique container name.</summary>
    public required string Name { get; init; }

    /// <summary>Image reference.</summary>
    public required string Image { get; init; }

    /// <summary>Arguments after the entrypoint (the command).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Replaces the image's entrypoint when set.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Environment variables, in order; later duplicates win.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Bind mounts.</summary>
    public IReadOnlyList<BindMount> Mounts { get; init; } = [];

    /// <summary>Networks to attach, the first is the primary. Empty means the engine's default network.</summary>
    public IReadOnlyList<NetworkAttachment> Networks { get; init; } = [];

    /// <summary>DNS servers written into the container's resolv.conf (no engine-embedded resolver in between).</summary>
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];

    /// <summary>Extra /etc/hosts entries.</summary>
    public IReadOnlyList<KeyValuePair<string, IPAddress>> ExtraHosts { get; init; } = [];

    /// <summary>Drop every capability before adding <see cref="CapAdd"/>.</summary>
    public bool DropAllCapabilities { get; init; } = true;

    /// <summary>Capabilities added back (<c>NET_BIND_SERVICE</c>, …).</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary>Set <c>no-new-privileges</c>.</summary>
    public bool NoNewPrivileges { get; init; } = true;

    /// <summary>Memory limit in bytes; swap is set equal (no swap).</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>CPU limit.</summary>
    public double? Cpus { get; init; }

    /// <summary>Process limit.</summary>
    public int? PidsLimit { get; init; }

    /// <summary>Namespaced sysctls (<c>net.ipv4.ip_forward=0</c>, <c>net.ipv4.ping_group_range=1 0</c>).</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary>User (<c>uid[:gid]</c>) to run as; null keeps the image's.</summary>
    public string? User { get; init; }

    /// <summary>Working directory; null keeps the image's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Mount the root filesystem read-only.</summary>
    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>
    /// Size-limited tmpfs mounts (RES-03). With <see cref="ReadOnlyRootFilesystem"/> the backend mounts no other
    /// writable tmpfs of its own (podman's <c>--read-only-tmpfs</c> is turned off).
    /// </summary>
    public IReadOnlyList<TmpfsMount> TmpfsMounts { get; init; } = [];

    /// <summary>Keep stdin open (for interactive use); off by default.</summary>
    public bool Interactive { get; init; }
}

/// <summary>A bind mount.</summary>
public sealed record BindMount(string Source, string Target, bool ReadOnly);

/// <summary>
/// A tmpfs mounted <c>rw,exec,nosuid,nodev</c>: writes past <paramref name="SizeBytes"/> fail with ENOSPC, and its pages
/// count against the container's memory limit.
/// </summary>
/// <param name="Target">Absolute path in the container.</param>
/// <param name="SizeBytes">Size cap in bytes.</param>
/// <param name="Mode">Permissions of its root directory.</param>
public sealed record TmpfsMount(string Target, long SizeBytes, UnixFileMode Mode)
{
    /// <summary>The kernel mount options both engines take as they are.</summary>
    public string MountOptions =>
        $"rw,exec,nosuid,nodev,size={SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)},mode={Convert.ToString((int)Mode, 8)}";
}

/// <summary>A network attachment, with a static IPv4 address when given.</summary>
public sealed record NetworkAttachment(string Network, IPAddress? IPv4Address = null);

/// <summary>How a container ended.</summary>
/// <param name="ExitCode">The process exit code (137 when killed by SIGKILL).</param>
/// <param name="OomKilled">The kernel killed it for exceeding its memory limit.</param>
public sealed record ContainerExit(int ExitCode, bool OomKilled);

/// <summary>Output captured so far.</summary>
public sealed record ContainerLogs(string Stdout, string Stderr);

/// <summary>A container as the engine reports it.</summary>
public sealed record ContainerInfo(
    string Id,
    string Name,
    string Image,
    bool Running,
    int? ExitCode,
    bool OomKilled,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, IPAddress> NetworkAddresses);
