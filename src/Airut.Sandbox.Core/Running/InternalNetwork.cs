using System.Net;

namespace Airut.Sandbox.Core.Running;

/// <summary>A run's internal network as created (TOP-3, TOP-4).</summary>
/// <param name="Name">Network name.</param>
/// <param name="Octet">The third octet N of <c>10.199.N.0/24</c>.</param>
/// <param name="Subnet">The subnet in CIDR form.</param>
/// <param name="ProxyAddress">The proxy's static address, always <c>10.199.N.100</c>.</param>
public sealed record InternalNetwork(string Name, int Octet, string Subnet, IPAddress ProxyAddress);
