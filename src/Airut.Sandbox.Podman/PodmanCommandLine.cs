using System.Globalization;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Podman.Json;

namespace Airut.Sandbox.Podman;

/// <summary>
/// Builds podman argument arrays. Every option is one <c>--name=value</c> element, so a value that starts with
/// <c>--</c> or holds <c>=</c> or a newline cannot become another option; positional values come after
/// <c>--</c>. Values podman would split on a separator (<c>:</c> in a volume, <c>=</c> in a label key) are
/// rejected instead (CFG-05).
/// </summary>
internal static class PodmanCommandLine
{
    private const string HostAlias = "host.containers.internal";

    public static IReadOnlyList<string> Info() => ["info", "--format=json"];

    public static IReadOnlyList<string> BuildImage(ImageBuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = new List<string>
        {
            "build",
            "--file=" + request.DockerfilePath,
            "--tag=" + RequireValue(request.Tag, "image tag"),
        };
        if (request.NoCache)
        {
            args.Add("--no-cache");
        }

        AddKeyValues(args, "--label=", request.Labels, "image label");
        args.Add("--");
        args.Add(request.ContextDirectory);
        return args;
    }

    public static IReadOnlyList<string> InspectImage(string reference) =>
        ["image", "inspect", "--format=json", "--", RequireValue(reference, "image reference")];

    public static IReadOnlyList<string> ImageExists(string reference) =>
        ["image", "exists", "--", RequireValue(reference, "image reference")];

    public static IReadOnlyList<string> RemoveImage(string reference) =>
        ["image", "rm", "--ignore", "--", RequireValue(reference, "image reference")];

    /// <summary>Removes one reference of an image, never the image.</summary>
    public static IReadOnlyList<string> Untag(string reference) =>
        ["image", "untag", "--", RequireValue(reference, "image reference")];

    /// <summary>The IDs of the engine's containers (build containers of other tools excluded) created from an image.</summary>
    public static IReadOnlyList<string> ContainersFrom(string reference) =>
        ["ps", "--all", "--quiet", "--filter=ancestor=" + RequireValue(reference, "image reference")];

    public static IReadOnlyList<string> SaveImages(IReadOnlyList<string> references, string archivePath)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            throw new ArgumentException("At least one image reference is required.", nameof(references));
        }

        var args = new List<string>
        {
            "save",
            "--format=docker-archive",
            "--multi-image-archive",
            "--output=" + RequireValue(archivePath, "archive path"),
            "--",
        };
        args.AddRange(references.Select(r => RequireValue(r, "image reference")));
        return args;
    }

    public static IReadOnlyList<string> LoadImages(string archivePath) =>
        ["load", "--input=" + RequireValue(archivePath, "archive path")];

    public static IReadOnlyList<string> CreateNetwork(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var args = new List<string> { "network", "create", "--driver=bridge" };

        // No aardvark resolver: containers get exactly the DNS servers their spec names, and an internal
        // network without DNS has no gateway address for the host side (NET-05).
        args.Add("--disable-dns");
        if (spec.Internal)
        {
            args.Add("--internal");
        }

        if (spec.Subnet is not null)
        {
            args.Add("--subnet=" + RequireValue(spec.Subnet, "subnet"));
        }

        AddKeyValues(args, "--label=", spec.Labels, "network label");

        args.Add("--");
        args.Add(RequireName(spec.Name, "network name"));
        return args;
    }

    public static IReadOnlyList<string> InspectNetwork(string name) =>
        ["network", "inspect", "--", RequireValue(name, "network name")];

    public static IReadOnlyList<string> NetworkExists(string name) =>
        ["network", "exists", "--", RequireValue(name, "network name")];

    public static IReadOnlyList<string> RemoveNetwork(string name) =>
        ["network", "rm", "--force", "--", RequireValue(name, "network name")];

    public static IReadOnlyList<string> ListNetworks(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var args = new List<string> { "network", "ls", "--format=json" };
        AddKeyValues(args, "--filter=label=", labels, "label filter");
        return args;
    }

    public static IReadOnlyList<string> CreateContainer(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var args = new List<string> { "create", "--name=" + RequireName(spec.Name, "container name") };

        AddKeyValues(args, "--label=", spec.Labels, "container label");
        foreach (var (name, value) in spec.Environment)
        {
            // Always NAME=VALUE: a bare NAME would make podman copy the variable from its own environment.
            args.Add("--env=" + RequireKey(name, "environment variable name") + "=" + value);
        }

        foreach (var mount in spec.Mounts)
        {
            args.Add("--volume=" + MountSpec(mount));
        }

        foreach (var network in spec.Networks)
        {
            var value = RequireSeparatorFree(network.Network, "network name", ':', ',');
            if (network.IPv4Address is { } address)
            {
                if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    throw new ArgumentException($"Network {network.Network}: static address must be IPv4.", nameof(spec));
                }

                value += ":ip=" + address;
            }

            args.Add("--network=" + value);
        }

        foreach (var server in spec.DnsServers)
        {
            args.Add("--dns=" + server);
        }

        // podman writes host.containers.internal -> the host into /etc/hosts, even on an internal network
        // (NET-05). A user entry of that name replaces podman's, so it is pinned to the container's own loopback.
        // (--no-hosts would drop it too, but also "localhost" for images without an /etc/hosts of their own,
        // and "localhost" would then resolve through the sandbox DNS to the proxy.)
        if (!spec.ExtraHosts.Any(h => string.Equals(h.Key, HostAlias, StringComparison.OrdinalIgnoreCase)))
        {
            args.Add("--add-host=" + HostAlias + ":127.0.0.1");
        }

        foreach (var (host, address) in spec.ExtraHosts)
        {
            args.Add("--add-host=" + RequireSeparatorFree(host, "extra host name", ':') + ":" + address);
        }

        if (spec.DropAllCapabilities)
        {
            args.Add("--cap-drop=ALL");
        }

        foreach (var capability in spec.CapAdd)
        {
            args.Add("--cap-add=" + RequireSeparatorFree(capability, "capability", ','));
        }

        if (spec.NoNewPrivileges)
        {
            args.Add("--security-opt=no-new-privileges");
        }

        if (spec.MemoryBytes is { } memory)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memory, nameof(spec.MemoryBytes));
            var bytes = memory.ToString(CultureInfo.InvariantCulture);
            args.Add("--memory=" + bytes);
            args.Add("--memory-swap=" + bytes);
        }

        if (spec.Cpus is { } cpus)
        {
            if (!(cpus > 0) || double.IsInfinity(cpus))
            {
                throw new ArgumentOutOfRangeException(nameof(spec), cpus, "Cpus must be a positive number.");
            }

            args.Add("--cpus=" + cpus.ToString("0.0##", CultureInfo.InvariantCulture));
        }

        if (spec.PidsLimit is { } pids)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pids, nameof(spec.PidsLimit));
            args.Add("--pids-limit=" + pids.ToString(CultureInfo.InvariantCulture));
        }

        AddKeyValues(args, "--sysctl=", spec.Sysctls, "sysctl");
        if (spec.User is not null)
        {
            args.Add("--user=" + RequireValue(spec.User, "user"));
        }

        if (spec.WorkingDirectory is not null)
        {
            args.Add("--workdir=" + RequireValue(spec.WorkingDirectory, "working directory"));
        }

        if (spec.ReadOnlyRootFilesystem)
        {
            args.Add("--read-only");
            if (spec.TmpfsMounts.Count > 0)
            {
                // Podman's own /tmp, /var/tmp and /run tmpfs have no size cap; the spec's mounts are the only writable ones.
                args.Add("--read-only-tmpfs=false");
            }
        }

        foreach (var tmpfs in spec.TmpfsMounts)
        {
            args.Add("--tmpfs=" + RequireValue(tmpfs.Target, "tmpfs target") + ":" + tmpfs.MountOptions);
        }

        if (spec.Interactive)
        {
            args.Add("--interactive");
        }

        // Explicit, so containers.conf's default (k8s-file without a size limit) never applies. conmon truncates
        // the k8s-file log when it reaches max-size.
        if (spec.LogRetention.KeepsNothing)
        {
            args.Add("--log-driver=none");
        }
        else
        {
            args.Add("--log-driver=k8s-file");
            args.Add("--log-opt=max-size=" + spec.LogRetention.MaxBytes.ToString(CultureInfo.InvariantCulture));
        }

        if (spec.Entrypoint is not null)
        {
            // The JSON array form keeps every element one argv entry of the entrypoint.
            args.Add("--entrypoint=" + JsonSerializer.Serialize(spec.Entrypoint.ToArray(), PodmanJsonContext.Default.StringArray));
        }

        args.Add("--");
        args.Add(RequireValue(spec.Image, "image reference"));
        args.AddRange(spec.Command);
        return args;
    }

    public static IReadOnlyList<string> StartContainer(string nameOrId) =>
        ["start", "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> StartAttached(string nameOrId) =>
        ["start", "--attach", "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> WaitContainer(string nameOrId) =>
        ["wait", "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> Logs(string nameOrId) =>
        ["logs", "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> InspectContainer(string nameOrId) =>
        ["container", "inspect", "--format=json", "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> ContainerExists(string nameOrId) =>
        ["container", "exists", "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> KillContainer(string nameOrId, string signal) =>
        ["kill", "--signal=" + RequireValue(signal, "signal"), "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> RemoveContainer(string nameOrId) =>
        ["rm", "--force", "--ignore", "--volumes", "--time=0", "--", RequireValue(nameOrId, "container")];

    public static IReadOnlyList<string> ListContainerIds(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var args = new List<string> { "ps", "--all", "--quiet", "--no-trunc" };
        AddKeyValues(args, "--filter=label=", labels, "label filter");
        return args;
    }

    private static string MountSpec(BindMount mount)
    {
        var source = RequireSeparatorFree(mount.Source, "mount source", ':', ',');
        var target = RequireSeparatorFree(mount.Target, "mount target", ':', ',');
        if (!Path.IsPathFullyQualified(source))
        {
            // A relative source would be taken as a named volume.
            throw new ArgumentException($"Mount source must be an absolute path: {source}", nameof(mount));
        }

        if (!target.StartsWith('/'))
        {
            throw new ArgumentException($"Mount target must be an absolute path: {target}", nameof(mount));
        }

        // nosuid,nodev: a setuid binary or device node planted in a rw mount stays inert (CT-05).
        return source + ":" + target + ":" + (mount.ReadOnly ? "ro" : "rw") + ",nosuid,nodev";
    }

    private static void AddKeyValues(List<string> args, string prefix, IReadOnlyDictionary<string, string> pairs, string what)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (key, value) in pairs)
        {
            args.Add(prefix + RequireKey(key, what) + "=" + value);
        }
    }

    private static string RequireKey(string key, string what)
    {
        RequireValue(key, what);
        if (key.Contains('=', StringComparison.Ordinal) || key.Contains('\n', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid {what} '{key}': it must not contain '=', a newline or NUL.");
        }

        return key;
    }

    private static string RequireName(string name, string what)
    {
        RequireValue(name, what);
        if (name.StartsWith('-'))
        {
            throw new ArgumentException($"Invalid {what} '{name}': it must not start with '-'.");
        }

        return name;
    }

    private static string RequireSeparatorFree(string value, string what, params char[] separators)
    {
        RequireValue(value, what);
        if (value.IndexOfAny(separators) >= 0)
        {
            throw new ArgumentException($"Invalid {what} '{value}': it must not contain any of '{string.Join("', '", separators)}'.");
        }

        return value;
    }

    private static string RequireValue(string value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"The {what} must not be empty.");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} must not contain NUL.");
        }

        return value;
    }
}
