namespace Airut.Sandbox.Core.Configuration;

/// <summary>Hard limits on configuration input, enforced before or while parsing so hostile files fail fast.</summary>
public static class ConfigurationLimits
{
    /// <summary>Largest <c>.airut/*.yaml</c> accepted, checked before parsing: 1 MiB, far above any real file.</summary>
    public const int MaxYamlBytes = 1024 * 1024;

    /// <summary>Deepest nesting accepted; the real files need four levels.</summary>
    public const int MaxDepth = 32;

    /// <summary>Largest <c>upstream_ca_bundle</c> accepted: 4 MiB (a full public root store is about 250 KiB).</summary>
    public const int MaxCaBundleBytes = 4 * 1024 * 1024;
}
