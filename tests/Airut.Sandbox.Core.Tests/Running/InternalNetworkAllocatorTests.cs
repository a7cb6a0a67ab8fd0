using System.Net;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class InternalNetworkAllocatorTests
{
    private static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string> { ["k"] = "v" };
    private readonly InternalNetworkAllocator _allocator = new();
    private readonly InMemoryContainerRuntime _runtime = new();

    [Fact]
    [Trait("Spec", "TOP-4")]
    public void TOP_4_first_allocation_is_1_then_2_and_254_wraps_to_1()
    {
        Assert.Equal(1, _allocator.Allocate());
        Assert.Equal(2, _allocator.Allocate());
        for (var i = 3; i <= 254; i++)
        {
            Assert.Equal(i, _allocator.Allocate());
        }

        _allocator.Release(1);
        Assert.Equal(1, _allocator.Allocate());
    }

    [Fact]
    [Trait("Spec", "TOP-4")]
    public void TOP_4_254_allocations_are_distinct_and_the_255th_fails()
    {
        var octets = Enumerable.Range(0, 254).Select(_ => _allocator.Allocate()).ToHashSet();
        Assert.Equal(254, octets.Count);
        var error = Assert.Throws<SandboxInfrastructureException>(() => _allocator.Allocate());
        Assert.Equal("All 254 subnets are in use; cannot allocate a new context network", error.Message);
        _allocator.Release(77);
        _allocator.Release(77);
        Assert.Equal(77, _allocator.Allocate());
    }

    [Fact]
    [Trait("Spec", "TOP-4")]
    public void TOP_4_the_wrap_skips_held_octets()
    {
        for (var i = 1; i <= 254; i++)
        {
            _allocator.Allocate();
        }

        _allocator.Release(5);
        _allocator.Release(3);
        Assert.Equal(3, _allocator.Allocate());
        Assert.Equal(5, _allocator.Allocate());
    }

    [Fact]
    [Trait("Spec", "TOP-3")]
    public async Task TOP_3_network_is_internal_isolated_from_host_on_10_199_N_with_proxy_at_100()
    {
        var network = await _allocator.CreateAsync(_runtime, "airut-cli-conv-x", Labels, CancellationToken.None);

        Assert.Equal(new InternalNetwork("airut-cli-conv-x", 1, "10.199.1.0/24", IPAddress.Parse("10.199.1.100")), network);
        var created = _runtime.Networks["airut-cli-conv-x"];
        Assert.True(created.Internal);
        Assert.Equal("10.199.1.0/24", created.Subnet);
        Assert.Equal("v", created.Labels["k"]);
    }

    [Fact]
    [Trait("Spec", "SEC-26")]
    public async Task TOP_5_SEC_26_subnet_conflicts_move_on_with_wrap_around_253_254_1_landing_on_2()
    {
        for (var i = 1; i <= 252; i++)
        {
            _allocator.Allocate();
        }

        for (var i = 1; i <= 252; i++)
        {
            _allocator.Release(i);
        }

        var conflicted = new HashSet<string> { "10.199.253.0/24", "10.199.254.0/24", "10.199.1.0/24" };
        _runtime.OnCreateNetwork = spec => conflicted.Contains(spec.Subnet!)
            ? new SandboxInfrastructureException($"subnet {spec.Subnet} is already used on the host or by another config")
            : null;

        var network = await _allocator.CreateAsync(_runtime, "n", Labels, CancellationToken.None);

        Assert.Equal(2, network.Octet);
        Assert.Equal(3, _allocator.Allocate());
        Assert.Equal(4, _runtime.Calls.Count);
    }

    [Fact]
    [Trait("Spec", "SEC-26")]
    public async Task SEC_26_conflicted_octets_are_released_and_docker_pool_overlap_counts_as_conflict()
    {
        _runtime.OnCreateNetwork = spec => spec.Subnet == "10.199.1.0/24"
            ? new SandboxInfrastructureException("Error response from daemon: Pool overlaps with other one on this address space")
            : null;

        var network = await _allocator.CreateAsync(_runtime, "n", Labels, CancellationToken.None);

        Assert.Equal(2, network.Octet);
        _allocator.Release(2);
        var held = Enumerable.Range(0, 254).Select(_ => _allocator.Allocate()).ToHashSet();
        Assert.Contains(1, held);
    }

    [Fact]
    [Trait("Spec", "SEC-26")]
    public async Task SEC_26_other_failures_release_the_octet_and_propagate_with_the_network_name()
    {
        _runtime.OnCreateNetwork = _ => new SandboxInfrastructureException("permission denied");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => _allocator.CreateAsync(_runtime, "airut-cli-conv-x", Labels, CancellationToken.None));

        Assert.Equal("Failed to create internal network airut-cli-conv-x: permission denied", error.Message);
        Assert.Equal(254, Enumerable.Range(0, 254).Select(_ => _allocator.Allocate()).Distinct().Count());
    }

    [Fact]
    [Trait("Spec", "TOP-5")]
    public async Task TOP_5_when_every_subnet_is_claimed_on_the_host_the_call_fails_after_254_attempts()
    {
        _runtime.OnCreateNetwork = spec => new SandboxInfrastructureException($"subnet {spec.Subnet} is already used on the host");

        var error = await Assert.ThrowsAsync<SandboxInfrastructureException>(
            () => _allocator.CreateAsync(_runtime, "n", Labels, CancellationToken.None));

        Assert.Equal("All 254 subnets are in use or already claimed on the host; cannot allocate a new context network", error.Message);
        Assert.Equal(254, _runtime.Calls.Count);
    }

    [Theory]
    [InlineData("subnet 10.199.1.0/24 is already used on the host or by another config", true)]
    [InlineData("Error response from daemon: Pool overlaps with other one on this address space", true)]
    [InlineData("network name n already used: network already exists", false)]
    [InlineData("permission denied", false)]
    public void Conflict_detection_matches_both_engines_texts(string message, bool conflict)
    {
        Assert.Equal(conflict, InternalNetworkAllocator.IsSubnetConflict(message));
    }
}
