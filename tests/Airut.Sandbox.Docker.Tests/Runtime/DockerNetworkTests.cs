using System.Net;
using System.Net.Sockets;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Runtime;

/// <summary>Networks, addresses and DNS on the real dockerd. Traffic stays on networks the test creates.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class DockerNetworkTests : IAsyncLifetime
{
    private readonly DockerTestEnvironment _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private DockerRuntime Runtime => _env.Runtime;

    [Fact]
    public async Task TOP_5_a_taken_subnet_is_reported_as_already_in_use()
    {
        var (_, octet) = await _env.CreateNetworkAsync("first");
        var second = _env.Name("second");

        var ex = await Assert.ThrowsAsync<Abstractions.Errors.SandboxInfrastructureException>(() => Runtime.CreateNetworkAsync(
            new NetworkSpec(second, $"10.231.{octet}.0/24", true, true, _env.Labels), DockerTestEnvironment.Timeout()));

        Assert.Contains("subnet", ex.Message.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Contains("already", ex.Message.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Null(await Runtime.InspectNetworkAsync(second, DockerTestEnvironment.Timeout()));
    }

    [Fact]
    public async Task A_container_gets_its_static_addresses_on_the_first_network_and_on_the_one_joined_before_start()
    {
        var (inner, innerOctet) = await _env.CreateNetworkAsync("inner");
        var (outer, outerOctet) = await _env.CreateNetworkAsync("outer");
        var name = _env.Name("dual");
        var address = DockerTestEnvironment.Address(innerOctet, 100);
        var outerAddress = DockerTestEnvironment.Address(outerOctet, 101);

        var id = await _env.CreateContainerAsync(new ContainerSpec
        {
            Name = name,
            Image = DockerTestEnvironment.ClientImage,
            Command = ["sleep", "300"],
            Networks = [new NetworkAttachment(inner, address), new NetworkAttachment(outer, outerAddress)],
        });
        await Runtime.StartContainerAsync(id, DockerTestEnvironment.Timeout());

        var info = await Runtime.InspectContainerAsync(id, DockerTestEnvironment.Timeout());
        Assert.Equal(address, info!.NetworkAddresses[inner]);
        Assert.Equal(outerAddress, info.NetworkAddresses[outer]);
        Assert.Equal(2, info.NetworkAddresses.Count);
    }

    [Fact]
    public async Task A_failed_second_attachment_removes_the_half_made_container()
    {
        var (inner, _) = await _env.CreateNetworkAsync("half");
        var name = _env.Name("half");

        await Assert.ThrowsAsync<Abstractions.Errors.SandboxInfrastructureException>(() => _env.CreateContainerAsync(new ContainerSpec
        {
            Name = name,
            Image = DockerTestEnvironment.ClientImage,
            Networks = [new NetworkAttachment(inner), new NetworkAttachment(_env.Name("missing"))],
            DnsServers = [IPAddress.Parse("10.231.0.53")],
        }));

        Assert.Null(await Runtime.InspectContainerAsync(name, DockerTestEnvironment.Timeout()));
        Assert.Empty(Directory.GetFiles(_env.ResolvConfDirectory));
    }

    [Fact]
    public async Task DNS_04_the_container_resolver_is_exactly_the_given_server_and_the_embedded_one_relays_only_there()
    {
        var (network, octet) = await _env.CreateNetworkAsync("dns");
        var dnsAddress = DockerTestEnvironment.Address(octet, 53);

        // A stand-in resolver on the test network that prints the name of every query it receives.
        var recorder = await _env.CreateContainerAsync(new ContainerSpec
        {
            Name = _env.Name("dnsrec"),
            Image = DockerTestEnvironment.ClientImage,
            Command = ["python3", "-u", "-c", DnsRecorderScript],
            Networks = [new NetworkAttachment(network, dnsAddress)],
        });
        await Runtime.StartContainerAsync(recorder, DockerTestEnvironment.Timeout());

        var (exit, stdout, stderr) = await _env.RunAsync(
            "dnsclient",
            "cat /etc/resolv.conf; getent hosts via-resolv-conf.test; dig @127.0.0.11 +tries=1 +time=2 via-embedded.test >/dev/null; true",
            spec => spec with { Networks = [new NetworkAttachment(network, DockerTestEnvironment.Address(octet, 5))], DnsServers = [dnsAddress] });

        Assert.True(exit.ExitCode == 0, stderr);
        Assert.StartsWith($"nameserver {dnsAddress}\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.11", stdout, StringComparison.Ordinal);
        var queries = await WaitForLogAsync(_env.Name("dnsrec"), "via-embedded.test");
        Assert.Contains($"from {DockerTestEnvironment.Address(octet, 5)} name via-resolv-conf.test", queries, StringComparison.Ordinal);
        Assert.Contains($"from {DockerTestEnvironment.Address(octet, 5)} name via-embedded.test", queries, StringComparison.Ordinal);

        var resolvFile = Assert.Single(Directory.GetFiles(_env.ResolvConfDirectory));
        await Runtime.RemoveContainerAsync(_env.Name("dnsclient"), DockerTestEnvironment.Timeout());
        Assert.False(File.Exists(resolvFile));
    }

    [Fact]
    public async Task NET_05_an_isolated_network_cannot_reach_a_host_listener_through_its_gateway()
    {
        var (network, octet) = await _env.CreateNetworkAsync("iso", isolate: true);
        using var listener = new HostListener();

        var (_, stdout, _) = await _env.RunAsync(
            "iso",
            $"nc -z -w 3 10.231.{octet}.1 {listener.Port} && echo reached || echo unreachable; ip -4 addr show eth0 | grep -c inet",
            spec => spec with { Networks = [new NetworkAttachment(network)] });

        Assert.StartsWith("unreachable\n", stdout, StringComparison.Ordinal);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task NET_05_control_without_isolation_the_gateway_does_reach_the_host_listener()
    {
        // Proves the isolated case above can fail: the same probe on a plain --internal network gets through (§0.6 #1).
        var (network, octet) = await _env.CreateNetworkAsync("open", isolate: false);
        using var listener = new HostListener();

        var (_, stdout, _) = await _env.RunAsync(
            "open",
            $"nc -z -w 3 10.231.{octet}.1 {listener.Port} && echo reached || echo unreachable",
            spec => spec with { Networks = [new NetworkAttachment(network)] });

        Assert.Equal("reached\n", stdout);
        Assert.True(listener.Connections > 0);
    }

    private const string DnsRecorderScript = """
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", 53))
        while True:
            data, peer = s.recvfrom(4096)
            labels, i = [], 12
            while i < len(data) and data[i]:
                labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
                i += 1 + data[i]
            print("from", peer[0], "name", ".".join(labels), flush=True)
        """;

    private async Task<string> WaitForLogAsync(string container, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var logs = await Runtime.GetLogsAsync(container, DockerTestEnvironment.Timeout());
            if (logs.Stdout.Contains(expected, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return logs.Stdout;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A TCP listener on 0.0.0.0 and a random port that counts accepted connections (attacks.md §0.1).</summary>
    private sealed class HostListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Any, 0);
        private int _connections;

        public HostListener()
        {
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose() => _listener.Stop();

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
