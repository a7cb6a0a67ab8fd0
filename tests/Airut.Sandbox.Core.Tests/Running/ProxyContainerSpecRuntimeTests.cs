using System.Text;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Engines;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class ProxyContainerSpecRuntimeTests : IDisposable
{
    private readonly string _runDirectory = Directory.CreateTempSubdirectory("airut-test-").FullName;

    public void Dispose() => Directory.Delete(_runDirectory, recursive: true);

    [Theory]
    [MemberData(nameof(RealEngines.Names), MemberType = typeof(RealEngines))]
    [Trait("Spec", "NET-03")]
    public async Task NET_03_TOP_21_a_real_dual_homed_proxy_container_has_forwarding_off_and_no_effective_capability_but_NET_BIND_SERVICE(string engine)
    {
        var runtime = RealEngines.Create(engine);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var egress = $"airut-test-{suffix}-egress";
        var allocator = new InternalNetworkAllocator();
        InternalNetwork? network = null;
        string? container = null;
        try
        {
            var labels = new Dictionary<string, string> { ["airut-test"] = suffix };
            await runtime.CreateNetworkAsync(new NetworkSpec(egress, null, Internal: true, IsolateFromHost: true, labels), CancellationToken.None);
            network = await allocator.CreateAsync(runtime, $"airut-test-{suffix}-conv", labels, CancellationToken.None);
            var spec = ProxyContainerSpecFactory.Create(new ProxyContainerRequest
            {
                Names = new RunResourceNames($"airut-test-{suffix}", RunId.New()),
                Image = "localhost/airut/client:bookworm",
                EgressNetwork = egress,
                Network = network,
                RunDirectory = _runDirectory,
                Labels = labels,
            }) with
            {
                Entrypoint = ["sh", "-c"],
                Command =
                [
                    "echo ip_forward=$(cat /proc/sys/net/ipv4/ip_forward); " +
                    "echo ipv6_forwarding=$(cat /proc/sys/net/ipv6/conf/all/forwarding); " +
                    "echo capeff=$(awk '/^CapEff/{print $2}' /proc/self/status); " +
                    "echo address=$(ip -4 -o addr show | grep -c " + network.ProxyAddress + ")",
                ],
            };
            container = await runtime.CreateContainerAsync(spec, CancellationToken.None);
            var output = new Sink();

            var exit = await runtime.RunAttachedAsync(container, output, CancellationToken.None);

            Assert.True(exit.ExitCode == 0, output.Text);
            Assert.Equal("ip_forward=0\nipv6_forwarding=0\ncapeff=0000000000000400\naddress=1\n", output.Text);
        }
        finally
        {
            if (container is not null)
            {
                await runtime.RemoveContainerAsync(container, CancellationToken.None);
            }

            if (network is not null)
            {
                await runtime.RemoveNetworkAsync(network.Name, CancellationToken.None);
            }

            await runtime.RemoveNetworkAsync(egress, CancellationToken.None);
            (runtime as IDisposable)?.Dispose();
        }
    }

    private sealed class Sink : IContainerOutputSink
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => Append(data);

        public ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => Append(data);

        private ValueTask Append(ReadOnlyMemory<byte> data)
        {
            lock (_text)
            {
                _text.Append(Encoding.UTF8.GetString(data.Span));
            }

            return ValueTask.CompletedTask;
        }
    }
}
