namespace Airut.Sandbox.Podman;

/// <summary>Settings of <see cref="PodmanRuntime"/>.</summary>
public sealed record PodmanRuntimeOptions
{
    /// <summary>The podman executable: a path, or a name looked up on PATH.</summary>
    public string PodmanPath { get; init; } = "podman";

    /// <summary>The iptables executable used for the per-network firewall rules.</summary>
    public string IptablesPath { get; init; } = "iptables";

    /// <summary>The ip6tables executable used for the per-network firewall rules.</summary>
    public string Ip6tablesPath { get; init; } = "ip6tables";

    /// <summary>The iproute2 <c>ip</c> executable used to check bridge addresses.</summary>
    public string IpPath { get; init; } = "ip";

    /// <summary>The util-linux <c>dmesg</c> executable, read to detect OOM kills podman misses.</summary>
    public string DmesgPath { get; init; } = "dmesg";

    /// <summary>Most bytes of a podman command's stdout kept in memory (inspect output, logs).</summary>
    public int MaxCapturedOutputBytes { get; init; } = 16 * 1024 * 1024;
}
