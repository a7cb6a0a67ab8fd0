namespace Airut.Sandbox.Proxy.Upstream;

/// <summary>How a forwarded exchange ended: a relayed status, or a failure described for the <c>ERROR</c> line.</summary>
/// <param name="Status">The status relayed to the client, when the exchange completed.</param>
/// <param name="Error">What failed (no secrets, one line), when it did not.</param>
/// <param name="AlreadyLogged">True when the terminal line was written earlier (an upgrade logs at its 101).</param>
public sealed record ForwardResult(int? Status, string? Error, bool AlreadyLogged = false);
