using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Docker.Api;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Unit;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ContainerCreateRequestTests
{
    private static readonly ContainerSpec FullSpec = new()
    {
        Name = "airut-run-1",
        Image = "localhost/airut/client:bookworm",
        Command = ["sh", "-c", "echo hi"],
        Entrypoint = ["/usr/bin/env"],
        Environment = [new("A", "1"), new("B", "x=y\nz")],
        Labels = new Dictionary<string, string> { ["airut.run"] = "1" },
        Mounts = [new BindMount("/host/ws", "/workspace", ReadOnly: false), new BindMount("/host/ca.pem", "/ca.pem", ReadOnly: true)],
        Networks = [new NetworkAttachment("airut-conv-1", IPAddress.Parse("10.199.1.100")), new NetworkAttachment("airut-egress")],
        DnsServers = [IPAddress.Parse("10.199.1.100")],
        ExtraHosts = [new("proxy.test", IPAddress.Parse("10.199.1.100"))],
        CapAdd = ["NET_BIND_SERVICE"],
        MemoryBytes = 512L * 1024 * 1024,
        Cpus = 1.5,
        PidsLimit = 256,
        Sysctls = new Dictionary<string, string> { ["net.ipv4.ping_group_range"] = "1 0" },
        User = "1000:1000",
        WorkingDirectory = "/workspace",
        ReadOnlyRootFilesystem = true,
    };

    private static JsonObject Serialize(ContainerSpec spec, string? resolvConf = null)
        => JsonNode.Parse(JsonSerializer.Serialize(ContainerCreateRequestFactory.Create(spec, resolvConf), DockerJsonContext.Default.ContainerCreateRequest))!.AsObject();

    [Fact]
    public void A_full_spec_maps_to_the_Engine_API_field_names()
    {
        var json = Serialize(FullSpec, "/tmp/r/airut-run-1.resolv.conf");

        Assert.Equal(
            """
            {"Image":"localhost/airut/client:bookworm","Cmd":["sh","-c","echo hi"],"Entrypoint":["/usr/bin/env"],"Env":["A=1","B=x=y\nz"],"Labels":{"airut.run":"1"},"User":"1000:1000","WorkingDir":"/workspace","AttachStdout":true,"AttachStderr":true,"OpenStdin":false,"Tty":false,"HostConfig":{"Mounts":[{"Type":"bind","Source":"/host/ws","Target":"/workspace","ReadOnly":false},{"Type":"bind","Source":"/host/ca.pem","Target":"/ca.pem","ReadOnly":true},{"Type":"bind","Source":"/tmp/r/airut-run-1.resolv.conf","Target":"/etc/resolv.conf","ReadOnly":true}],"CapDrop":["ALL"],"CapAdd":["NET_BIND_SERVICE"],"SecurityOpt":["no-new-privileges:true"],"Memory":536870912,"MemorySwap":536870912,"NanoCpus":1500000000,"PidsLimit":256,"Sysctls":{"net.ipv4.ping_group_range":"1 0"},"Dns":["10.199.1.100"],"ExtraHosts":["proxy.test:10.199.1.100"],"ReadonlyRootfs":true,"NetworkMode":"airut-conv-1"},"NetworkingConfig":{"EndpointsConfig":{"airut-conv-1":{"IPAMConfig":{"IPv4Address":"10.199.1.100"}}}}}
            """,
            json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    [Trait("Spec", "RES-03")]
    public void RES_03_size_limited_tmpfs_mounts_go_to_HostConfig_Tmpfs_with_their_mount_options()
    {
        var json = Serialize(FullSpec with { TmpfsMounts = [new TmpfsMount("/tmp", 64L << 20, (UnixFileMode)Convert.ToInt32("1777", 8)), new TmpfsMount("/run", 4096, (UnixFileMode)Convert.ToInt32("755", 8))] });

        var tmpfs = json["HostConfig"]!["Tmpfs"]!.AsObject();
        Assert.Equal(2, tmpfs.Count);
        Assert.Equal("rw,exec,nosuid,nodev,size=67108864,mode=1777", (string?)tmpfs["/tmp"]);
        Assert.Equal("rw,exec,nosuid,nodev,size=4096,mode=755", (string?)tmpfs["/run"]);
        Assert.False(Serialize(FullSpec)["HostConfig"]!.AsObject().ContainsKey("Tmpfs"));
    }

    [Fact]
    public void Only_the_first_network_is_in_the_create_body()
    {
        var endpoints = Serialize(FullSpec)["NetworkingConfig"]!["EndpointsConfig"]!.AsObject();

        Assert.Equal(["airut-conv-1"], endpoints.Select(pair => pair.Key));
    }

    [Fact]
    public void A_minimal_spec_leaves_the_image_defaults_alone_but_still_drops_capabilities()
    {
        var json = Serialize(new ContainerSpec { Name = "n", Image = "i" });

        Assert.False(json.ContainsKey("Cmd"));
        Assert.False(json.ContainsKey("Entrypoint"));
        Assert.False(json.ContainsKey("Env"));
        Assert.False(json.ContainsKey("User"));
        Assert.False(json.ContainsKey("NetworkingConfig"));
        var host = json["HostConfig"]!.AsObject();
        Assert.Equal("""["ALL"]""", host["CapDrop"]!.ToJsonString());
        Assert.Equal("""["no-new-privileges:true"]""", host["SecurityOpt"]!.ToJsonString());
        Assert.False(host.ContainsKey("Memory"));
        Assert.False(host.ContainsKey("NetworkMode"));
        Assert.False(host.ContainsKey("Dns"));
        Assert.False(host.ContainsKey("Mounts"));
    }

    [Fact]
    public void An_empty_entrypoint_is_sent_as_an_empty_list_to_clear_the_image_entrypoint()
    {
        var json = Serialize(new ContainerSpec { Name = "n", Image = "i", Entrypoint = [] });

        Assert.Equal("[]", json["Entrypoint"]!.ToJsonString());
    }

    [Fact]
    public void Hardening_can_be_turned_off_explicitly()
    {
        var host = Serialize(new ContainerSpec { Name = "n", Image = "i", DropAllCapabilities = false, NoNewPrivileges = false })["HostConfig"]!.AsObject();

        Assert.False(host.ContainsKey("CapDrop"));
        Assert.False(host.ContainsKey("SecurityOpt"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0")]
    public void An_invalid_environment_name_is_refused_without_showing_the_value(string name)
    {
        const string value = "value-that-must-not-appear";
        var spec = new ContainerSpec { Name = "n", Image = "i", Environment = [new(name, value)] };

        var ex = Assert.Throws<SandboxConfigurationException>(() => ContainerCreateRequestFactory.Create(spec, null));
        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_resolv_conf_names_exactly_the_given_servers()
    {
        var text = ContainerCreateRequestFactory.ResolvConfText([IPAddress.Parse("10.199.1.100"), IPAddress.Parse("10.199.1.101")]);

        Assert.Equal("nameserver 10.199.1.100\nnameserver 10.199.1.101\n", text);
    }

    [Fact]
    public void A_network_create_body_carries_isolation_subnet_and_labels()
    {
        var body = new NetworkCreateRequest
        {
            Name = "airut-conv-1",
            Internal = true,
            Ipam = new NetworkIpam { Driver = "default", Config = [new NetworkIpamPool { Subnet = "10.199.1.0/24" }] },
            Options = new Dictionary<string, string> { ["com.docker.network.bridge.inhibit_ipv4"] = "true" },
            Labels = new Dictionary<string, string> { ["airut.owner"] = "x" },
        };

        Assert.Equal(
            """{"Name":"airut-conv-1","CheckDuplicate":true,"Driver":"bridge","Internal":true,"IPAM":{"Driver":"default","Config":[{"Subnet":"10.199.1.0/24"}]},"Options":{"com.docker.network.bridge.inhibit_ipv4":"true"},"Labels":{"airut.owner":"x"}}""",
            JsonSerializer.Serialize(body, DockerJsonContext.Default.NetworkCreateRequest));
    }

    [Fact]
    public void Inspect_answers_are_read_with_their_odd_field_names()
    {
        const string body = """
            {"Id":"abc","Name":"/airut-run-1","Config":{"Image":"img","Labels":{"k":"v"}},
             "State":{"Status":"exited","Running":false,"ExitCode":137,"OOMKilled":true},
             "NetworkSettings":{"Networks":{"airut-conv-1":{"IPAddress":"10.199.1.5"}}},
             "Mounts":[{"Type":"bind","Source":"/tmp/x.resolv.conf","Destination":"/etc/resolv.conf"}]}
            """;

        var inspect = JsonSerializer.Deserialize(body, DockerJsonContext.Default.ContainerInspectResponse)!;

        Assert.True(inspect.State!.OomKilled);
        Assert.Equal(137, inspect.State.ExitCode);
        Assert.Equal("10.199.1.5", inspect.NetworkSettings!.Networks!["airut-conv-1"].IPAddress);
        Assert.Equal("/etc/resolv.conf", Assert.Single(inspect.Mounts!).Destination);
    }
}
