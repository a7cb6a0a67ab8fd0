using System.Net;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.EndToEnd.Tests.Security;

/// <summary>
/// A container running Scripts/recorder.py from the client image: the suite's "outside world" (an outside recorder
/// with a fake DNS resolver, or a TLS upstream). Its stdout is the record of every contact, read back by the test.
/// </summary>
internal sealed class RecorderContainer : IAsyncDisposable
{
    private readonly IContainerRuntime _runtime;
    private readonly string _name;
    private readonly IReadOnlyDictionary<string, IPAddress> _addresses;

    private RecorderContainer(IContainerRuntime runtime, string name, IReadOnlyDictionary<string, IPAddress> addresses)
    {
        _runtime = runtime;
        _name = name;
        _addresses = addresses;
    }

    public IPAddress AddressOn(string network) => _addresses[network];

    /// <summary>Starts the recorder in <paramref name="role"/> (outside or upstream) and waits until it listens.</summary>
    public static async Task<RecorderContainer> StartAsync(
        IContainerRuntime runtime, string name, string role, IReadOnlyList<string> networks, string scriptsDirectory, string? certificatesDirectory)
    {
        var mounts = new List<BindMount> { new(scriptsDirectory, "/atk", ReadOnly: true) };
        if (certificatesDirectory is not null)
        {
            mounts.Add(new BindMount(certificatesDirectory, "/certs", ReadOnly: true));
        }

        await runtime.CreateContainerAsync(
            new ContainerSpec
            {
                Name = name,
                Image = SandboxUnderTest.ClientImage,
                Entrypoint = ["python3", "-u", "/atk/recorder.py", role],
                Mounts = mounts,
                Networks = networks.Select(n => new NetworkAttachment(n)).ToList(),
                // NET_RAW only so the outside recorder can capture ICMP (NET-02); it is the test's own container.
                DropAllCapabilities = true,
                CapAdd = ["NET_BIND_SERVICE", "NET_RAW"],
                NoNewPrivileges = true,
            },
            CancellationToken.None);
        var recorder = new RecorderContainer(runtime, name, new Dictionary<string, IPAddress>());
        try
        {
            await runtime.StartContainerAsync(name, CancellationToken.None);
            for (var i = 0; i < 1200 && !(await recorder.ReadEventsAsync()).Any(e => e.Kind == "ready"); i++)
            {
                await Task.Delay(100);
            }

            var info = await runtime.InspectContainerAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"recorder {name} vanished");
            if (!(await recorder.ReadEventsAsync()).Any(e => e.Kind == "ready"))
            {
                var logs = await runtime.GetLogsAsync(name, CancellationToken.None);
                throw new InvalidOperationException($"recorder {name} never became ready: {logs.Stderr}");
            }

            return new RecorderContainer(runtime, name, info.NetworkAddresses);
        }
        catch
        {
            await recorder.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<RecorderEvent>> ReadEventsAsync()
    {
        var logs = await _runtime.GetLogsAsync(_name, CancellationToken.None);
        var events = new List<RecorderEvent>();
        foreach (var line in logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            string? Text(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            byte[] Bytes(string key) => Text(key) is { } b64 ? Convert.FromBase64String(b64) : [];
            var data = Text("ev") == "http" ? [.. Bytes("head"), .. "\r\n\r\n"u8.ToArray(), .. Bytes("body")] : Bytes("data");
            events.Add(new RecorderEvent(
                Text("ev") ?? "?",
                root.TryGetProperty("port", out var port) ? port.GetInt32() : 0,
                Text("peer"),
                Text("sni"),
                data,
                Text("state")));
        }

        return events;
    }

    public async ValueTask DisposeAsync() => await _runtime.RemoveContainerAsync(_name, CancellationToken.None);
}
