using System.Security.Cryptography;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Podman.Processes;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Podman.Tests;

/// <summary>NET-05 on podman: the owned firewall rules come and go with the network, and a network that
/// cannot be protected is never left behind.</summary>
[Trait(TestCategories.Name, TestCategories.Runtime)]
public sealed class PodmanHostIsolationTests : IAsyncLifetime
{
    private readonly string _name = "airut-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)) + "-iso";
    private readonly PodmanRuntime _runtime = new(new PodmanRuntimeOptions());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.RemoveNetworkAsync(_name, CancellationToken.None);

    [Fact]
    public async Task NET_05_isolated_network_gets_owned_input_drop_rules_for_both_families_removed_with_it()
    {
        await _runtime.CreateNetworkAsync(Spec(isolate: true), CancellationToken.None);

        var v4 = await RulesAsync("iptables");
        var v6 = await RulesAsync("ip6tables");
        Assert.Contains(v4, r => r.Contains("-A INPUT", StringComparison.Ordinal) && r.EndsWith("-j DROP", StringComparison.Ordinal));
        Assert.Contains(v4, r => r.Contains("-A FORWARD", StringComparison.Ordinal) && r.EndsWith("-j ACCEPT", StringComparison.Ordinal));
        Assert.Contains(v6, r => r.Contains("-A INPUT", StringComparison.Ordinal) && r.EndsWith("-j DROP", StringComparison.Ordinal));

        await _runtime.RemoveNetworkAsync(_name, CancellationToken.None);

        Assert.Empty(await RulesAsync("iptables"));
        Assert.Empty(await RulesAsync("ip6tables"));
    }

    [Fact]
    public async Task NET_05_network_that_cannot_be_protected_is_removed_and_the_error_raised()
    {
        var runtime = new PodmanRuntime(new PodmanRuntimeOptions { Ip6tablesPath = "/nonexistent/ip6tables" });

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => runtime.CreateNetworkAsync(Spec(isolate: true), CancellationToken.None));

        Assert.Contains("/nonexistent/ip6tables", error.Message, StringComparison.Ordinal);
        Assert.Null(await _runtime.InspectNetworkAsync(_name, CancellationToken.None));
        Assert.Empty(await RulesAsync("iptables"));
        await runtime.RemoveNetworkAsync(_name, CancellationToken.None);
    }

    [Fact]
    public async Task NET_05_host_isolation_of_a_routed_network_is_refused_before_anything_is_created()
    {
        var spec = Spec(isolate: true) with { Internal = false };

        await Assert.ThrowsAsync<ArgumentException>(() => _runtime.CreateNetworkAsync(spec, CancellationToken.None));

        Assert.Null(await _runtime.InspectNetworkAsync(_name, CancellationToken.None));
    }

    private NetworkSpec Spec(bool isolate) =>
        new(_name, $"10.{RandomNumberGenerator.GetInt32(210, 240)}.{RandomNumberGenerator.GetInt32(1, 255)}.0/24", Internal: true, isolate, new Dictionary<string, string>());

    private async Task<List<string>> RulesAsync(string tool)
    {
        var result = await new ProcessRunner(tool, 1024 * 1024).RunAsync(["-w", "-S"], CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
        return result.Stdout.ToString().Split('\n').Where(l => l.Contains("airut-net:" + _name, StringComparison.Ordinal)).ToList();
    }
}
