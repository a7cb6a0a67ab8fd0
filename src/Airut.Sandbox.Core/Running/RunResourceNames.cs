namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Names of one run's resources (TOP-1, with a unique id per run instead of the fixed <c>cli</c>; SEC-38):
/// <c>{prefix}-conv-{id}</c>, <c>{prefix}-proxy-{id}</c>, and the client container <c>{prefix}-run-{id}</c>
/// (named so that it can be killed by name on timeout; CLI-62, RES-04).
/// </summary>
/// <param name="Prefix">Resource prefix (default <c>airut-cli</c>).</param>
/// <param name="RunId">The run.</param>
public sealed record RunResourceNames(string Prefix, RunId RunId)
{
    /// <summary>The per-run internal network.</summary>
    public string InternalNetwork => $"{Prefix}-conv-{RunId}";

    /// <summary>The proxy container.</summary>
    public string ProxyContainer => $"{Prefix}-proxy-{RunId}";

    /// <summary>The client container.</summary>
    public string ClientContainer => $"{Prefix}-run-{RunId}";

    /// <summary>The shared egress network for proxies of this prefix.</summary>
    public string SharedEgressNetwork => $"{Prefix}-egress";
}
