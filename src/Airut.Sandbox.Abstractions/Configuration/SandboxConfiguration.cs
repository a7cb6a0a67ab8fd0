namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>The parsed and validated <c>.airut/sandbox.yaml</c> (credentials-cli.md §1, additions.md).</summary>
/// <param name="Env">Static container variables, in document order. Values may come from <c>!env</c>.</param>
/// <param name="PassEnv">Host variable names copied into the container when set.</param>
/// <param name="MaskedSecrets">Masked secrets, in document order.</param>
/// <param name="SigningCredentials">AWS signing credentials, in document order.</param>
/// <param name="NetworkSandbox">False runs without the proxy (unrestricted egress).</param>
/// <param name="ResourceLimits">Container limits.</param>
/// <param name="EgressNetwork">An existing network the proxy joins instead of the shared egress network.</param>
/// <param name="UpstreamHosts">Static upstream name map, in document order.</param>
/// <param name="UpstreamHostsOnly">When true, names missing from <paramref name="UpstreamHosts"/> are never resolved (502).</param>
/// <param name="UpstreamCaBundlePath">Absolute path of extra PEM roots the proxy trusts upstream.</param>
/// <param name="SourcePath">The file this came from, or null when defaults were used.</param>
public sealed record SandboxConfiguration(
    IReadOnlyList<KeyValuePair<string, string>> Env,
    IReadOnlyList<string> PassEnv,
    IReadOnlyList<MaskedSecret> MaskedSecrets,
    IReadOnlyList<SigningCredential> SigningCredentials,
    bool NetworkSandbox,
    ResourceLimits ResourceLimits,
    string? EgressNetwork = null,
    IReadOnlyList<UpstreamHost>? UpstreamHosts = null,
    bool UpstreamHostsOnly = false,
    string? UpstreamCaBundlePath = null,
    string? SourcePath = null)
{
    /// <summary>The configuration used when no file exists (CFG-02).</summary>
    public static SandboxConfiguration Default { get; } =
        new([], [], [], [], NetworkSandbox: true, ResourceLimits.None);
}
