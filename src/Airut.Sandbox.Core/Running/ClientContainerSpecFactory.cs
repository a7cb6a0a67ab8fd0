using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Images;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Builds the client container (CLI-55 hardened): every capability dropped except the five CLI-55 adds back,
/// <c>no-new-privileges</c>, the configured limits, <c>net.ipv4.ping_group_range="1 0"</c> so unprivileged ICMP
/// sockets cannot tunnel (NET-02), stdin closed (CLI-56), the passthrough entrypoint mounted read-only, the
/// workspace at <c>/workspace</c> first. With the network sandbox: the internal network only, DNS = the proxy,
/// the CA certificate (never its key) mounted read-only (TOP-13) at its own path and over the system CA bundles, so
/// the client trusts the run CA and nothing else without running <c>update-ca-certificates</c> (TOP-15). The working directory is the image's (CLI-53, SEC-24).
/// </summary>
public static class ClientContainerSpecFactory
{
    /// <summary>Where the workspace is mounted.</summary>
    public const string WorkspacePath = "/workspace";

    /// <summary>
    /// With a disk limit, the only writable places besides the mounts: each a tmpfs of the limit's size, on a read-only
    /// root filesystem (RES-03).
    /// </summary>
    public static IReadOnlyList<(string Target, UnixFileMode Mode)> ScratchDirectories { get; } =
    [
        ("/tmp", StickyWorldWritable),
        ("/var/tmp", StickyWorldWritable),
        ("/run", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute),
    ];

    private const UnixFileMode StickyWorldWritable = (UnixFileMode)0b1_111_111_111;

    /// <summary>Capabilities added back after dropping all (CLI-55).</summary>
    public static IReadOnlyList<string> AddedCapabilities { get; } = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"];

    /// <summary>Builds the spec.</summary>
    /// <exception cref="SandboxConfigurationException">A mount is not absolute or targets a path the sandbox reserves.</exception>
    /// <exception cref="SandboxInfrastructureException">The network sandbox is on but the CA certificate is missing (SEC-25).</exception>
    public static ContainerSpec Create(ClientContainerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mounts = new List<BindMount>();
        var userMounts = request.Mounts.Select(Validate).ToList();
        if (!userMounts.Any(m => m.Target == WorkspacePath))
        {
            if (!Path.IsPathFullyQualified(request.WorkspaceDirectory))
            {
                throw new SandboxConfigurationException($"Workspace directory must be an absolute path: {request.WorkspaceDirectory}", key: "workspace");
            }

            mounts.Add(new BindMount(request.WorkspaceDirectory, WorkspacePath, ReadOnly: false));
        }

        mounts.AddRange(userMounts);
        mounts.Add(new BindMount(request.EntrypointHostPath, PassthroughEntrypoint.ContainerPath, ReadOnly: true));

        var networks = new List<NetworkAttachment>();
        var dns = new List<System.Net.IPAddress>();
        if (request.Network is { } network)
        {
            if (request.CaCertificateHostPath is null || !File.Exists(request.CaCertificateHostPath))
            {
                throw new SandboxInfrastructureException(
                    $"CA certificate not found: {request.CaCertificateHostPath}. The run's CA must exist before the client starts.");
            }

            mounts.Add(new BindMount(request.CaCertificateHostPath, PassthroughEntrypoint.CaCertificatePath, ReadOnly: true));
            mounts.AddRange(PassthroughEntrypoint.SystemTrustBundlePaths.Select(path => new BindMount(request.CaCertificateHostPath, path, ReadOnly: true)));
            networks.Add(new NetworkAttachment(network.Name));
            dns.Add(network.ProxyAddress);
        }

        return new ContainerSpec
        {
            Name = request.Names.ClientContainer,
            Image = request.Image,
            Entrypoint = PassthroughEntrypoint.Entrypoint,
            Command = request.Command,
            Environment = request.Environment,
            Labels = request.Labels,
            Mounts = mounts,
            Networks = networks,
            DnsServers = dns,
            DropAllCapabilities = true,
            CapAdd = AddedCapabilities,
            NoNewPrivileges = true,
            MemoryBytes = request.Limits.MemoryBytes,
            Cpus = request.Limits.Cpus,
            PidsLimit = request.Limits.PidsLimit,
            ReadOnlyRootFilesystem = request.Limits.DiskBytes is not null,
            TmpfsMounts = request.Limits.DiskBytes is { } disk
                ? ScratchDirectories.Where(d => !mounts.Any(m => m.Target == d.Target)).Select(d => new TmpfsMount(d.Target, disk, d.Mode)).ToList()
                : [],
            Sysctls = new Dictionary<string, string>(StringComparer.Ordinal) { ["net.ipv4.ping_group_range"] = "1 0" },
            Interactive = false,
        };
    }

    private static BindMount Validate(BindMount mount)
    {
        if (!Path.IsPathFullyQualified(mount.Source) || !mount.Target.StartsWith('/'))
        {
            throw new SandboxConfigurationException($"Mount paths must be absolute: {mount.Source}:{mount.Target}", key: "mount");
        }

        var target = mount.Target.Length > 1 ? mount.Target.TrimEnd('/') : mount.Target;
        if (target is PassthroughEntrypoint.ContainerPath or PassthroughEntrypoint.CaCertificatePath || PassthroughEntrypoint.SystemTrustBundlePaths.Contains(target))
        {
            throw new SandboxConfigurationException($"Mount target {target} is reserved by the sandbox", key: "mount");
        }

        return mount with { Target = target };
    }
}
