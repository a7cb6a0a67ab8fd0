using System.Net;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Images;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ClientContainerSpecFactoryTests : IDisposable
{
    private static readonly RunResourceNames Names = new("airut-cli", RunId.TryParse("0123456789ab")!);
    private static readonly InternalNetwork Network = new("airut-cli-conv-0123456789ab", 7, "10.199.7.0/24", IPAddress.Parse("10.199.7.100"));
    private readonly string _ca = Path.GetTempFileName();

    public void Dispose() => File.Delete(_ca);

    private ClientContainerRequest Request(InternalNetwork? network = null, IReadOnlyList<BindMount>? mounts = null) => new()
    {
        Names = Names,
        Image = "airut-cli-repo:abc",
        Command = ["echo", "hello"],
        Environment = [new("IS_SANDBOX", "1")],
        WorkspaceDirectory = "/home/u/repo",
        Mounts = mounts ?? [],
        Limits = new ResourceLimits(MemoryBytes: 512L * 1024 * 1024, MemoryText: "512m", Cpus: 1.5, PidsLimit: 256),
        EntrypointHostPath = "/runs/x/entrypoint.sh",
        Network = network,
        CaCertificateHostPath = network is null ? null : _ca,
        Labels = new Dictionary<string, string> { ["org.airut.sandbox.run-id"] = "0123456789ab" },
    };

    [Fact]
    [Trait("Spec", "CLI-55")]
    public void CLI_55_every_security_flag_and_limit_is_set()
    {
        var spec = ClientContainerSpecFactory.Create(Request(Network));

        Assert.Equal("airut-cli-run-0123456789ab", spec.Name);
        Assert.Equal("airut-cli-repo:abc", spec.Image);
        Assert.True(spec.DropAllCapabilities);
        Assert.Equal(["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"], spec.CapAdd);
        Assert.True(spec.NoNewPrivileges);
        Assert.Equal(512L * 1024 * 1024, spec.MemoryBytes);
        Assert.Equal(1.5, spec.Cpus);
        Assert.Equal(256, spec.PidsLimit);
        Assert.False(spec.Interactive);
        Assert.Null(spec.WorkingDirectory);
        Assert.Equal(["echo", "hello"], spec.Command);
        Assert.Equal(["/bin/sh", PassthroughEntrypoint.ContainerPath], spec.Entrypoint);
        Assert.Equal("0123456789ab", spec.Labels["org.airut.sandbox.run-id"]);
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public void RES_03_without_a_disk_limit_the_root_filesystem_stays_writable_and_no_tmpfs_is_added()
    {
        var spec = ClientContainerSpecFactory.Create(Request(Network));

        Assert.False(spec.ReadOnlyRootFilesystem);
        Assert.Empty(spec.TmpfsMounts);
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public void RES_03_a_disk_limit_makes_the_root_filesystem_read_only_and_the_scratch_directories_tmpfs_of_that_size()
    {
        var spec = ClientContainerSpecFactory.Create(Request(Network) with { Limits = new ResourceLimits(DiskBytes: 64L << 20, DiskText: "64m") });

        Assert.True(spec.ReadOnlyRootFilesystem);
        Assert.Equal(
            [
                new TmpfsMount("/tmp", 64L << 20, (UnixFileMode)Convert.ToInt32("1777", 8)),
                new TmpfsMount("/var/tmp", 64L << 20, (UnixFileMode)Convert.ToInt32("1777", 8)),
                new TmpfsMount("/run", 64L << 20, (UnixFileMode)Convert.ToInt32("755", 8)),
            ],
            spec.TmpfsMounts);
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public void RES_03_a_mount_the_user_asked_for_replaces_the_scratch_tmpfs_at_the_same_place()
    {
        var request = Request(Network, [new BindMount("/host/tmp", "/tmp", ReadOnly: false)]) with { Limits = new ResourceLimits(DiskBytes: 1L << 30, DiskText: "1g") };

        var spec = ClientContainerSpecFactory.Create(request);

        Assert.Equal(["/var/tmp", "/run"], spec.TmpfsMounts.Select(t => t.Target));
        Assert.Contains(spec.Mounts, m => m.Target == "/tmp" && m.Source == "/host/tmp");
    }

    [Fact]
    [Trait("Spec", "NET-02")]
    public void NET_02_unprivileged_ICMP_sockets_are_disabled()
    {
        var spec = ClientContainerSpecFactory.Create(Request(Network));
        Assert.Equal("1 0", spec.Sysctls["net.ipv4.ping_group_range"]);
    }

    [Fact]
    [Trait("Spec", "TOP-13")]
    public void TOP_13_with_the_network_sandbox_the_client_is_on_the_internal_network_only_with_the_proxy_as_DNS_and_the_CA_mounted()
    {
        var spec = ClientContainerSpecFactory.Create(Request(Network));

        Assert.Equal([new NetworkAttachment(Network.Name)], spec.Networks);
        Assert.Equal([IPAddress.Parse("10.199.7.100")], spec.DnsServers);
        Assert.Empty(spec.ExtraHosts);
        Assert.Contains(new BindMount(_ca, PassthroughEntrypoint.CaCertificatePath, ReadOnly: true), spec.Mounts);
    }

    [Fact]
    [Trait("Spec", "TOP-15")]
    public void TOP_15_the_CA_certificate_is_mounted_read_only_over_the_system_bundles_so_the_client_trusts_it_without_update_ca_certificates()
    {
        var spec = ClientContainerSpecFactory.Create(Request(Network));

        Assert.Contains(new BindMount(_ca, "/etc/ssl/certs/ca-certificates.crt", ReadOnly: true), spec.Mounts);
        Assert.Contains(new BindMount(_ca, "/etc/pki/tls/certs/ca-bundle.crt", ReadOnly: true), spec.Mounts);
        Assert.DoesNotContain("update-ca-certificates", PassthroughEntrypoint.Script, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "CLI-51")]
    public void CLI_51_workspace_is_the_first_mount_read_write_then_user_mounts_then_the_read_only_entrypoint()
    {
        var spec = ClientContainerSpecFactory.Create(Request(Network, [new BindMount("/data", "/data", ReadOnly: true)]));

        Assert.Equal(
            [
                new BindMount("/home/u/repo", "/workspace", false),
                new BindMount("/data", "/data", true),
                new BindMount("/runs/x/entrypoint.sh", PassthroughEntrypoint.ContainerPath, true),
                new BindMount(_ca, PassthroughEntrypoint.CaCertificatePath, true),
                new BindMount(_ca, "/etc/ssl/certs/ca-certificates.crt", true),
                new BindMount(_ca, "/etc/pki/tls/certs/ca-bundle.crt", true),
            ],
            spec.Mounts);
    }

    [Fact]
    [Trait("Spec", "CLI-54")]
    public void CLI_54_a_user_mount_on_workspace_replaces_the_default_one()
    {
        var spec = ClientContainerSpecFactory.Create(Request(null, [new BindMount("/home/u/repo", "/workspace/", ReadOnly: true)]));
        var workspace = Assert.Single(spec.Mounts, m => m.Target == "/workspace");
        Assert.True(workspace.ReadOnly);
    }

    [Fact]
    [Trait("Spec", "TOP-19")]
    public void TOP_19_without_the_network_sandbox_there_are_no_network_flags_and_no_CA()
    {
        var spec = ClientContainerSpecFactory.Create(Request());
        Assert.Empty(spec.Networks);
        Assert.Empty(spec.DnsServers);
        Assert.DoesNotContain(spec.Mounts, m => m.Target == PassthroughEntrypoint.CaCertificatePath);
        Assert.DoesNotContain(spec.Mounts, m => PassthroughEntrypoint.SystemTrustBundlePaths.Contains(m.Target));
    }

    [Fact]
    [Trait("Spec", "SEC-25")]
    public void SEC_25_a_missing_CA_fails_closed()
    {
        File.Delete(_ca);
        var error = Assert.Throws<SandboxInfrastructureException>(() => ClientContainerSpecFactory.Create(Request(Network)));
        Assert.StartsWith("CA certificate not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative", "/x")]
    [InlineData("/x", "relative")]
    [InlineData("/x", PassthroughEntrypoint.CaCertificatePath)]
    [InlineData("/x", PassthroughEntrypoint.ContainerPath)]
    [InlineData("/x", "/etc/ssl/certs/ca-certificates.crt")]
    public void Relative_mounts_and_mounts_over_sandbox_files_are_refused(string source, string target)
    {
        Assert.Throws<SandboxConfigurationException>(() => ClientContainerSpecFactory.Create(Request(Network, [new BindMount(source, target, false)])));
    }
}
