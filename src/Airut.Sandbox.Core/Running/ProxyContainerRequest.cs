namespace Airut.Sandbox.Core.Running;

/// <summary>What the proxy container is made of.</summary>
public sealed record ProxyContainerRequest
{
    /// <summary>The run's resource names.</summary>
    public required RunResourceNames Names { get; init; }

    /// <summary>The proxy image tag.</summary>
    public required string Image { get; init; }

    /// <summary>The network the proxy reaches upstreams through.</summary>
    public required string EgressNetwork { get; init; }

    /// <summary>The run's internal network; the proxy takes its static address there.</summary>
    public required InternalNetwork Network { get; init; }

    /// <summary>The run directory, mounted read-only (configuration, CA, allowlist snapshot).</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Host path of the network log file, mounted read-write; null for none.</summary>
    public string? NetworkLogHostPath { get; init; }

    /// <summary>Host path of the file the proxy writes when ready, mounted read-write; null for none.</summary>
    public string? ReadyFileHostPath { get; init; }

    /// <summary>The proxy's log level (<c>airut-proxy --log-level</c>); null for its quiet default.</summary>
    public Microsoft.Extensions.Logging.LogLevel? LogLevel { get; init; }

    /// <summary>Labels (run and owner).</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
}
