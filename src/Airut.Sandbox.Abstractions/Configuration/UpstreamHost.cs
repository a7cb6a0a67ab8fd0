using System.Net;

namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>One <c>upstream_hosts</c> entry (additions.md): allowed requests to names matching
/// <see cref="Pattern"/> are sent to <see cref="Address"/> instead of a DNS answer.</summary>
/// <param name="Pattern">Host name or glob (allowlist host semantics).</param>
/// <param name="Address">IPv4 or IPv6 literal.</param>
public sealed record UpstreamHost(string Pattern, IPAddress Address);
