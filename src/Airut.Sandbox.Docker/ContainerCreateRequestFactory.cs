using System.Globalization;
using System.Net;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Docker.Api;

namespace Airut.Sandbox.Docker;

/// <summary>Maps a <see cref="ContainerSpec"/> to the body of <c>POST /containers/create</c>.</summary>
internal static class ContainerCreateRequestFactory
{
    /// <summary>Where the container's resolver configuration lives.</summary>
    internal const string ResolvConfTarget = "/etc/resolv.conf";

    /// <summary>Builds the request.</summary>
    /// <param name="spec">The container to create.</param>
    /// <param name="resolvConfSource">
    /// A host file naming <see cref="ContainerSpec.DnsServers"/>, mounted read-only over <c>/etc/resolv.conf</c> so that
    /// Docker's embedded resolver (127.0.0.11 on user networks) is not in the container's lookup path; null for none.
    /// </param>
    public static ContainerCreateRequest Create(ContainerSpec spec, string? resolvConfSource)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var mounts = spec.Mounts.Select(mount => new ContainerMount("bind", mount.Source, mount.Target, mount.ReadOnly)).ToList();
        if (resolvConfSource is not null)
        {
            mounts.Add(new ContainerMount("bind", resolvConfSource, ResolvConfTarget, ReadOnly: true));
        }

        var primary = spec.Networks.Count > 0 ? spec.Networks[0] : null;
        return new ContainerCreateRequest
        {
            Image = spec.Image,
            Cmd = spec.Command.Count > 0 ? spec.Command : null,

            // An empty list is sent as [] on purpose: Docker reads it as "no entrypoint", null as "the image's".
            Entrypoint = spec.Entrypoint,
            Env = spec.Environment.Count > 0 ? spec.Environment.Select(FormatVariable).ToList() : null,
            Labels = spec.Labels.Count > 0 ? spec.Labels : null,
            User = spec.User,
            WorkingDir = spec.WorkingDirectory,
            AttachStdout = true,
            AttachStderr = true,
            OpenStdin = spec.Interactive,
            Tty = false,
            HostConfig = new ContainerHostConfig
            {
                Mounts = mounts.Count > 0 ? mounts : null,
                CapDrop = spec.DropAllCapabilities ? ["ALL"] : null,
                CapAdd = spec.CapAdd.Count > 0 ? spec.CapAdd : null,
                SecurityOpt = spec.NoNewPrivileges ? ["no-new-privileges:true"] : null,
                Memory = spec.MemoryBytes,
                MemorySwap = spec.MemoryBytes,
                NanoCpus = spec.Cpus is { } cpus ? checked((long)Math.Round(cpus * 1_000_000_000d)) : null,
                PidsLimit = spec.PidsLimit,
                Sysctls = spec.Sysctls.Count > 0 ? spec.Sysctls : null,
                Dns = spec.DnsServers.Count > 0 ? spec.DnsServers.Select(server => server.ToString()).ToList() : null,
                ExtraHosts = spec.ExtraHosts.Count > 0 ? spec.ExtraHosts.Select(FormatHost).ToList() : null,
                ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
                Tmpfs = spec.TmpfsMounts.Count > 0 ? spec.TmpfsMounts.ToDictionary(t => t.Target, t => t.MountOptions, StringComparer.Ordinal) : null,
                NetworkMode = primary?.Network,
            },
            NetworkingConfig = primary is null
                ? null
                : new ContainerNetworkingConfig(new Dictionary<string, EndpointSettings>
                {
                    [primary.Network] = EndpointFor(primary),
                }),
        };
    }

    /// <summary>The endpoint settings for one attachment (static address or none).</summary>
    public static EndpointSettings EndpointFor(NetworkAttachment attachment)
        => new(attachment.IPv4Address is { } address ? new EndpointIpamConfig(address.ToString()) : null);

    /// <summary>The resolv.conf text naming the servers.</summary>
    public static string ResolvConfText(IReadOnlyList<IPAddress> servers)
        => string.Concat(servers.Select(server => string.Create(CultureInfo.InvariantCulture, $"nameserver {server}\n")));

    private static string FormatVariable(KeyValuePair<string, string> variable)
    {
        if (variable.Key.Length == 0 || variable.Key.Contains('=', StringComparison.Ordinal) || variable.Key.Contains('\0', StringComparison.Ordinal))
        {
            // The name is safe to show; the value never is.
            throw new SandboxConfigurationException($"Environment variable name '{variable.Key}' is invalid: it must be non-empty and contain no '=' or NUL.");
        }

        return variable.Key + "=" + variable.Value;
    }

    private static string FormatHost(KeyValuePair<string, IPAddress> host)
    {
        if (host.Key.Length == 0 || host.Key.Contains(':', StringComparison.Ordinal) || host.Key.Any(char.IsWhiteSpace))
        {
            throw new SandboxConfigurationException($"Extra host name '{host.Key}' is invalid.");
        }

        return host.Key + ":" + host.Value;
    }
}
