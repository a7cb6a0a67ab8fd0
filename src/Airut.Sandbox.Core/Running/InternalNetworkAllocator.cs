using System.Globalization;
using System.Net;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Allocates <c>10.199.N.0/24</c> subnets for per-run internal networks and creates them (TOP-4, TOP-5, SEC-26).
/// Octets 1..254 are handed out round-robin from a process-wide pointer; when the engine reports that a subnet is
/// already claimed on the host (by another process), the octet is released and the next one is tried, up to 254
/// attempts. Any other failure releases the octet and propagates. One instance serves the whole process.
/// </summary>
public sealed class InternalNetworkAllocator
{
    /// <summary>The number of usable octets.</summary>
    public const int OctetCount = 254;

    private readonly HashSet<int> _inUse = [];
    private int _next = 1;

    /// <summary>Takes the next free octet; throws when all 254 are held by this process.</summary>
    public int Allocate()
    {
        lock (_inUse)
        {
            for (var i = 0; i < OctetCount; i++)
            {
                var octet = _next;
                _next = (octet % OctetCount) + 1;
                if (_inUse.Add(octet))
                {
                    return octet;
                }
            }
        }

        throw new SandboxInfrastructureException("All 254 subnets are in use; cannot allocate a new context network");
    }

    /// <summary>Gives an octet back; releasing a free octet does nothing.</summary>
    public void Release(int octet)
    {
        lock (_inUse)
        {
            _inUse.Remove(octet);
        }
    }

    /// <summary>True when an engine error says the subnet is already claimed (podman: "subnet … is already used"; docker: "Pool overlaps").</summary>
    public static bool IsSubnetConflict(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lower = message.ToLowerInvariant();
        return (lower.Contains("subnet", StringComparison.Ordinal) && lower.Contains("already", StringComparison.Ordinal)) ||
               lower.Contains("pool overlaps", StringComparison.Ordinal);
    }

    /// <summary>
    /// Creates an internal network isolated from the host on a free subnet. The octet stays allocated until
    /// <see cref="Release"/> is called for it (after the network is removed).
    /// </summary>
    public async Task<InternalNetwork> CreateAsync(
        IContainerRuntime runtime, string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        for (var attempt = 0; attempt < OctetCount; attempt++)
        {
            var octet = Allocate();
            var subnet = string.Create(CultureInfo.InvariantCulture, $"10.199.{octet}.0/24");
            try
            {
                await runtime.CreateNetworkAsync(new NetworkSpec(name, subnet, Internal: true, IsolateFromHost: true, labels), cancellationToken)
                    .ConfigureAwait(false);
                return new InternalNetwork(name, octet, subnet, new IPAddress([10, 199, (byte)octet, 100]));
            }
            catch (SandboxInfrastructureException ex) when (IsSubnetConflict(ex.Message))
            {
                Release(octet);
            }
            catch (SandboxInfrastructureException ex)
            {
                Release(octet);
                throw new SandboxInfrastructureException($"Failed to create internal network {name}: {ex.Message}", ex);
            }
            catch
            {
                Release(octet);
                throw;
            }
        }

        throw new SandboxInfrastructureException(
            "All 254 subnets are in use or already claimed on the host; cannot allocate a new context network");
    }
}
