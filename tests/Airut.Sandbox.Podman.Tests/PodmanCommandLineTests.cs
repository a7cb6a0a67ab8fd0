using System.Net;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Podman.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class PodmanCommandLineTests
{
    private static readonly string[] KnownCreateOptions =
    [
        "--name", "--label", "--env", "--volume", "--network", "--dns", "--add-host", "--cap-drop",
        "--cap-add", "--security-opt", "--memory", "--memory-swap", "--cpus", "--pids-limit", "--sysctl", "--user",
        "--workdir", "--read-only", "--read-only-tmpfs", "--tmpfs", "--interactive", "--entrypoint",
    ];

    private static ContainerSpec FullSpec() => new()
    {
        Name = "airut-cli-run-1",
        Image = "localhost/airut/client:bookworm",
        Command = ["sh", "-c", "echo hi"],
        Entrypoint = ["/entrypoint.sh", "--verbose"],
        Environment = [new("A", "1"), new("B", "x=y")],
        Labels = new Dictionary<string, string> { ["io.airut.owner"] = "cli" },
        Mounts = [new BindMount("/work/repo", "/workspace", ReadOnly: false), new BindMount("/etc/ca.pem", "/ca.pem", ReadOnly: true)],
        Networks = [new NetworkAttachment("airut-cli-conv-1", IPAddress.Parse("10.199.1.5")), new NetworkAttachment("airut-cli-egress")],
        DnsServers = [IPAddress.Parse("10.199.1.100")],
        CapAdd = ["CHOWN", "SETUID"],
        MemoryBytes = 2L * 1024 * 1024 * 1024,
        Cpus = 1.5,
        PidsLimit = 256,
        Sysctls = new Dictionary<string, string> { ["net.ipv4.ping_group_range"] = "1 0" },
        User = "1000:1000",
        WorkingDirectory = "/workspace",
        ReadOnlyRootFilesystem = true,
    };

    [Fact]
    public void CLI_55_create_argv_carries_every_spec_field_in_a_fixed_order()
    {
        var args = PodmanCommandLine.CreateContainer(FullSpec());

        Assert.Equal(
            [
                "create",
                "--name=airut-cli-run-1",
                "--label=io.airut.owner=cli",
                "--env=A=1",
                "--env=B=x=y",
                "--volume=/work/repo:/workspace:rw,nosuid,nodev",
                "--volume=/etc/ca.pem:/ca.pem:ro,nosuid,nodev",
                "--network=airut-cli-conv-1:ip=10.199.1.5",
                "--network=airut-cli-egress",
                "--dns=10.199.1.100",
                "--add-host=host.containers.internal:127.0.0.1",
                "--cap-drop=ALL",
                "--cap-add=CHOWN",
                "--cap-add=SETUID",
                "--security-opt=no-new-privileges",
                "--memory=2147483648",
                "--memory-swap=2147483648",
                "--cpus=1.5",
                "--pids-limit=256",
                "--sysctl=net.ipv4.ping_group_range=1 0",
                "--user=1000:1000",
                "--workdir=/workspace",
                "--read-only",
                "--entrypoint=[\"/entrypoint.sh\",\"--verbose\"]",
                "--",
                "localhost/airut/client:bookworm",
                "sh",
                "-c",
                "echo hi",
            ],
            args);
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public void RES_03_size_limited_tmpfs_mounts_replace_podmans_own_uncapped_ones_on_a_read_only_root()
    {
        var spec = FullSpec() with { TmpfsMounts = [new TmpfsMount("/tmp", 64L << 20, (UnixFileMode)Convert.ToInt32("1777", 8)), new TmpfsMount("/run", 1L << 30, (UnixFileMode)Convert.ToInt32("755", 8))] };

        var args = PodmanCommandLine.CreateContainer(spec);

        var readOnly = args.ToList().IndexOf("--read-only");
        Assert.Equal(
            ["--read-only", "--read-only-tmpfs=false", "--tmpfs=/tmp:rw,exec,nosuid,nodev,size=67108864,mode=1777", "--tmpfs=/run:rw,exec,nosuid,nodev,size=1073741824,mode=755"],
            args.Skip(readOnly).Take(4));
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public void RES_03_a_read_only_root_without_tmpfs_mounts_keeps_podmans_default_scratch_directories()
    {
        var args = PodmanCommandLine.CreateContainer(FullSpec());

        Assert.Contains("--read-only", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--read-only-tmpfs", StringComparison.Ordinal) || a.StartsWith("--tmpfs", StringComparison.Ordinal));
    }

    [Fact]
    public void CFG_05_hostile_values_stay_inside_their_own_argument()
    {
        var spec = FullSpec() with
        {
            Environment = [new("X", "--privileged"), new("Y", "a\n--cap-add=ALL"), new("Z", "k=v=w")],
            Labels = new Dictionary<string, string> { ["l"] = "--network=host" },
            User = "--privileged",
            WorkingDirectory = "/w\n--pid=host",
            Command = ["--privileged", "a=b", "line\n--net=host"],
        };

        var args = PodmanCommandLine.CreateContainer(spec);

        var separator = args.ToList().IndexOf("--");
        Assert.True(separator > 0);
        foreach (var option in args.Skip(1).Take(separator - 1))
        {
            // Every element before "--" is exactly one known option, with its value glued on by '='.
            var name = option.Split('=', 2)[0];
            Assert.Contains(name, KnownCreateOptions);
        }

        Assert.Contains("--env=X=--privileged", args);
        Assert.Contains("--env=Y=a\n--cap-add=ALL", args);
        Assert.Contains("--env=Z=k=v=w", args);
        Assert.Contains("--label=l=--network=host", args);
        Assert.Contains("--user=--privileged", args);
        Assert.Contains("--workdir=/w\n--pid=host", args);
        Assert.DoesNotContain("--privileged", args.Take(separator));
        Assert.Equal(["localhost/airut/client:bookworm", "--privileged", "a=b", "line\n--net=host"], args.Skip(separator + 1));
    }

    [Theory]
    [InlineData("/a:b", "/t")]
    [InlineData("/a", "/t:rw")]
    [InlineData("/a,b", "/t")]
    [InlineData("relative/path", "/t")]
    [InlineData("/a", "relative")]
    public void CFG_05_mounts_that_podman_would_split_or_take_as_volumes_are_rejected(string source, string target)
    {
        var spec = FullSpec() with { Mounts = [new BindMount(source, target, ReadOnly: true)] };

        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(spec));
    }

    [Fact]
    public void CFG_05_keys_holding_the_separator_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { Environment = [new("A=B", "1")] }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { Environment = [new("", "1")] }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { Labels = new Dictionary<string, string> { ["a=b"] = "c" } }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { Sysctls = new Dictionary<string, string> { ["a\nb"] = "c" } }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { Networks = [new NetworkAttachment("net:ip=1.2.3.4")] }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { ExtraHosts = [new("a:b", IPAddress.Loopback)] }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { CapAdd = ["CHOWN,SYS_ADMIN"] }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { Name = "--rm" }));
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(FullSpec() with { Image = "" }));
    }

    [Fact]
    public void Static_addresses_must_be_IPv4()
    {
        var spec = FullSpec() with { Networks = [new NetworkAttachment("n", IPAddress.IPv6Loopback)] };

        Assert.Throws<ArgumentException>(() => PodmanCommandLine.CreateContainer(spec));
    }

    [Fact]
    public void NET_05_the_host_alias_is_pinned_to_loopback_next_to_extra_hosts()
    {
        var spec = FullSpec() with { ExtraHosts = [new("api.test", IPAddress.Parse("10.0.0.7"))] };

        var args = PodmanCommandLine.CreateContainer(spec);

        Assert.DoesNotContain("--no-hosts", args);
        Assert.Contains("--add-host=host.containers.internal:127.0.0.1", args);
        Assert.Contains("--add-host=api.test:10.0.0.7", args);
    }

    [Fact]
    public void A_host_alias_given_by_the_caller_is_not_pinned_again()
    {
        var spec = FullSpec() with { ExtraHosts = [new("host.containers.internal", IPAddress.Parse("10.199.1.100"))] };

        var args = PodmanCommandLine.CreateContainer(spec);

        Assert.Equal(["--add-host=host.containers.internal:10.199.1.100"], args.Where(a => a.StartsWith("--add-host=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Defaults_drop_every_capability_and_set_no_new_privileges_but_add_no_limits()
    {
        var args = PodmanCommandLine.CreateContainer(new ContainerSpec { Name = "c", Image = "i" });

        Assert.Equal(["create", "--name=c", "--add-host=host.containers.internal:127.0.0.1", "--cap-drop=ALL", "--security-opt=no-new-privileges", "--", "i"], args);
    }

    [Theory]
    [InlineData(2.0, "--cpus=2.0")]
    [InlineData(0.25, "--cpus=0.25")]
    [InlineData(1.125, "--cpus=1.125")]
    public void CFG_53_cpus_are_written_with_invariant_formatting(double cpus, string expected)
    {
        var args = PodmanCommandLine.CreateContainer(new ContainerSpec { Name = "c", Image = "i", Cpus = cpus });

        Assert.Contains(expected, args);
    }

    [Fact]
    public void Empty_entrypoint_clears_the_image_entrypoint()
    {
        var args = PodmanCommandLine.CreateContainer(new ContainerSpec { Name = "c", Image = "i", Entrypoint = [] });

        Assert.Contains("--entrypoint=[]", args);
    }

    [Fact]
    public void TOP_3_network_create_is_internal_without_dns_on_the_given_subnet()
    {
        var spec = new NetworkSpec("airut-cli-conv-1", "10.199.1.0/24", Internal: true, IsolateFromHost: true, new Dictionary<string, string> { ["o"] = "cli" });

        var args = PodmanCommandLine.CreateNetwork(spec);

        Assert.Equal(
            [
                "network", "create", "--driver=bridge", "--disable-dns", "--internal", "--subnet=10.199.1.0/24",
                "--label=o=cli", "--", "airut-cli-conv-1",
            ],
            args);
    }

    [Fact]
    public void Image_build_save_and_load_use_option_value_pairs_and_positional_separator()
    {
        var build = PodmanCommandLine.BuildImage(new ImageBuildRequest("/ctx", "/ctx/Dockerfile", "airut-cli-repo:abc", NoCache: true, new Dictionary<string, string> { ["k"] = "v" }));
        var save = PodmanCommandLine.SaveImages(["a:1", "b:2"], "/tmp/x.tar");
        var load = PodmanCommandLine.LoadImages("/tmp/x.tar");

        Assert.Equal(["build", "--file=/ctx/Dockerfile", "--tag=airut-cli-repo:abc", "--no-cache", "--label=k=v", "--", "/ctx"], build);
        Assert.Equal(["save", "--format=docker-archive", "--multi-image-archive", "--output=/tmp/x.tar", "--", "a:1", "b:2"], save);
        Assert.Equal(["load", "--input=/tmp/x.tar"], load);
        Assert.Throws<ArgumentException>(() => PodmanCommandLine.SaveImages([], "/tmp/x.tar"));
    }

    [Fact]
    public void Removal_is_forced_immediate_and_idempotent()
    {
        Assert.Equal(["rm", "--force", "--ignore", "--volumes", "--time=0", "--", "c"], PodmanCommandLine.RemoveContainer("c"));
        Assert.Equal(["network", "rm", "--force", "--", "n"], PodmanCommandLine.RemoveNetwork("n"));
        Assert.Equal(["image", "rm", "--ignore", "--", "i:1"], PodmanCommandLine.RemoveImage("i:1"));
    }

    [Fact]
    public void Listing_filters_by_every_label()
    {
        var labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "x=y" };

        Assert.Equal(["ps", "--all", "--quiet", "--no-trunc", "--filter=label=a=1", "--filter=label=b=x=y"], PodmanCommandLine.ListContainerIds(labels));
        Assert.Equal(["network", "ls", "--format=json", "--filter=label=a=1", "--filter=label=b=x=y"], PodmanCommandLine.ListNetworks(labels));
    }
}
