using System.Net;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ProxyContainerSpecFactoryTests
{
    private static readonly RunResourceNames Names = new("airut-cli", RunId.TryParse("0123456789ab")!);
    private static readonly InternalNetwork Network = new("airut-cli-conv-0123456789ab", 7, "10.199.7.0/24", IPAddress.Parse("10.199.7.100"));

    private static ContainerSpec Spec(string? log = "/runs/x/network.log", string? ready = null, Microsoft.Extensions.Logging.LogLevel? level = null) =>
        ProxyContainerSpecFactory.Create(new ProxyContainerRequest
    {
        Names = Names,
        Image = "airut-cli-proxy:abc",
        EgressNetwork = "airut-cli-egress",
        Network = Network,
        RunDirectory = "/runs/x",
        NetworkLogHostPath = log,
        ReadyFileHostPath = ready,
        LogLevel = level,
        Labels = new Dictionary<string, string> { ["org.airut.sandbox.role"] = "proxy" },
    });

    [Fact]
    [Trait("Spec", "NET-03")]
    public void NET_03_TOP_21_forwarding_is_explicitly_off_for_IPv4_and_IPv6()
    {
        var spec = Spec();
        Assert.Equal("0", spec.Sysctls["net.ipv4.ip_forward"]);
        Assert.Equal("0", spec.Sysctls["net.ipv6.conf.all.forwarding"]);
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public void RES_06_the_engine_keeps_a_capped_log_of_the_proxy_so_readiness_failures_can_still_show_it()
    {
        var retention = Spec().LogRetention;

        Assert.False(retention.KeepsNothing);
        Assert.Equal(8L * 1024 * 1024, retention.MaxBytes);
        Assert.Equal(ProxyContainerSpecFactory.LogCapBytes, retention.MaxBytes);
    }

    [Fact]
    [Trait("Spec", "TOP-6")]
    public void TOP_6_proxy_is_dual_homed_egress_first_and_static_address_on_the_internal_network()
    {
        var spec = Spec();
        Assert.Equal("airut-cli-proxy-0123456789ab", spec.Name);
        Assert.Equal(
            [new NetworkAttachment("airut-cli-egress"), new NetworkAttachment(Network.Name, IPAddress.Parse("10.199.7.100"))],
            spec.Networks);
        Assert.Equal(["--config", "/etc/airut/proxy.json"], spec.Command);
    }

    [Theory]
    [Trait("Spec", "LOG-03")]
    [Trait("Spec", "SEC-02")]
    [InlineData(Microsoft.Extensions.Logging.LogLevel.Trace, "trace")]
    [InlineData(Microsoft.Extensions.Logging.LogLevel.Debug, "debug")]
    [InlineData(Microsoft.Extensions.Logging.LogLevel.Information, "information")]
    public void LOG_03_the_debug_mode_reaches_the_proxy_as_a_level_name_argument_and_no_environment(Microsoft.Extensions.Logging.LogLevel level, string name)
    {
        var spec = Spec(level: level);
        Assert.Equal(["--config", "/etc/airut/proxy.json", "--log-level", name], spec.Command);
        Assert.Empty(spec.Environment);
    }

    [Fact]
    [Trait("Spec", "SEC-40")]
    public void SEC_40_run_directory_is_read_only_and_only_the_network_log_is_writable()
    {
        Assert.Equal(
            [new BindMount("/runs/x", "/etc/airut", true), new BindMount("/runs/x/network.log", "/var/log/airut/network.log", false)],
            Spec().Mounts);
        Assert.Single(Spec(log: null).Mounts);
    }

    [Fact]
    [Trait("Spec", "TOP-8")]
    public void TOP_8_the_ready_file_is_mounted_writable_and_passed_to_the_proxy_so_the_host_can_wait_on_it()
    {
        var spec = Spec(ready: "/runs/x/proxy-ready");

        Assert.Contains(new BindMount("/runs/x/proxy-ready", "/run/airut/ready", false), spec.Mounts);
        Assert.Equal(["--config", "/etc/airut/proxy.json", "--ready-file", "/run/airut/ready"], spec.Command);
        Assert.Equal(3, spec.Mounts.Count);
    }

    [Fact]
    [Trait("Spec", "SEC-02")]
    public void SEC_02_no_secret_travels_by_environment_or_argv_and_privileges_are_minimal()
    {
        var spec = Spec();
        Assert.Empty(spec.Environment);
        Assert.True(spec.DropAllCapabilities);
        Assert.Equal(["NET_BIND_SERVICE"], spec.CapAdd);
        Assert.True(spec.NoNewPrivileges);
        Assert.False(spec.Interactive);
    }
}
