using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Builds the proxy container (TOP-6 hardened): dual-homed, the egress network first and the internal network
/// with the static address; every capability dropped except <c>NET_BIND_SERVICE</c> (ports 53, 80, 443);
/// <c>no-new-privileges</c>; IP forwarding explicitly off for IPv4 and IPv6 so it can never route (NET-03, TOP-21);
/// the run directory read-only (SEC-40: the CA key cannot be replaced) and only the network log and the ready file
/// writable.
/// Secrets reach it through the 0600 configuration file, never argv or environment (attacks.md SEC-02).
/// </summary>
public static class ProxyContainerSpecFactory
{
    /// <summary>Where the run directory is mounted in the proxy.</summary>
    public const string RunDirectoryPath = "/etc/airut";

    /// <summary>Where the network log is mounted in the proxy.</summary>
    public const string NetworkLogPath = "/var/log/airut/network.log";

    /// <summary>Where the ready file is mounted in the proxy (<c>airut-proxy --ready-file</c>).</summary>
    public const string ReadyFilePath = "/run/airut/ready";

    /// <summary>The proxy configuration file's name in the run directory.</summary>
    public const string ConfigurationFileName = "proxy.json";

    /// <summary>The configuration file as the proxy sees it.</summary>
    public const string ConfigurationPath = RunDirectoryPath + "/" + ConfigurationFileName;

    /// <summary>The most the engine keeps of the proxy's stdout/stderr on the host disk.</summary>
    public const long LogCapBytes = 8 * 1024 * 1024;

    /// <summary>Builds the spec.</summary>
    public static ContainerSpec Create(ProxyContainerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mounts = new List<BindMount> { new(request.RunDirectory, RunDirectoryPath, ReadOnly: true) };
        if (request.NetworkLogHostPath is not null)
        {
            mounts.Add(new BindMount(request.NetworkLogHostPath, NetworkLogPath, ReadOnly: false));
        }

        IReadOnlyList<string> command = ["--config", ConfigurationPath];
        if (request.ReadyFileHostPath is not null)
        {
            mounts.Add(new BindMount(request.ReadyFileHostPath, ReadyFilePath, ReadOnly: false));
            command = [.. command, "--ready-file", ReadyFilePath];
        }

        if (request.LogLevel is { } level)
        {
            // A level name only: nothing secret ever travels in argv (SEC-02).
            command = [.. command, "--log-level", level.ToString().ToLowerInvariant()];
        }

        return new ContainerSpec
        {
            Name = request.Names.ProxyContainer,
            Image = request.Image,
            Command = command,
            Labels = request.Labels,
            Mounts = mounts,
            Networks =
            [
                new NetworkAttachment(request.EgressNetwork),
                new NetworkAttachment(request.Network.Name, request.Network.ProxyAddress),
            ],
            DropAllCapabilities = true,
            CapAdd = ["NET_BIND_SERVICE"],
            NoNewPrivileges = true,
            Sysctls = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["net.ipv4.ip_forward"] = "0",
                ["net.ipv6.conf.all.forwarding"] = "0",
            },
            Interactive = false,

            // Capped, not none: ProxyReadiness reads this log when the proxy dies or never gets ready, but a flood
            // of blocked requests (each copied to stdout) must not grow it without bound (RES-06).
            LogRetention = ContainerLogRetention.Capped(LogCapBytes),
        };
    }
}
