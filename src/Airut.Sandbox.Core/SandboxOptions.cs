using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core;

/// <summary>Host-side settings of the sandbox runner; validated when the runner is first resolved.</summary>
public sealed class SandboxOptions
{
    /// <summary>Prefix of image tags and resource names (IMG-01, TOP-1). Lower-case letters, digits, <c>-</c>, <c>_</c>, <c>.</c>.</summary>
    public string ResourcePrefix { get; set; } = "airut-cli";

    /// <summary>Where private per-run directories are created (mode 0700). Absolute.</summary>
    public string RunDirectoryRoot { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "airut-sandbox", "runs");

    /// <summary>
    /// A private directory (mode 0700) for what runs may remember, such as the proxy program's content hash;
    /// null means <c>cache</c> beside <see cref="RunDirectoryRoot"/>.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The proxy image's base (<c>FROM</c>).</summary>
    public string ProxyBaseImage { get; set; } = "mcr.microsoft.com/dotnet/runtime-deps:10.0";

    /// <summary>The published, self-contained <c>airut-proxy</c> program directory the proxy image is built from.</summary>
    public string ProxyProgramDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "airut-proxy");

    /// <summary>Images older than this are rebuilt (IMG-11), unless a run says otherwise.</summary>
    public TimeSpan MaxImageAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the proxy may take to print its ready line (TOP-8). Longer than the original's 5 s because a
    /// busy two-core CI runner can take several seconds to start a container; a proxy that dies is noticed at once
    /// by its exit, so the limit only bounds a proxy that hangs.</summary>
    public TimeSpan ProxyReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On cancellation the command gets SIGTERM, then SIGKILL after this long (CLI-61).</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest output line passed on in one piece; longer lines are split (RES-05).</summary>
    public int MaxOutputLineLength { get; set; } = 64 * 1024;

    /// <summary>The shared egress network proxies join when a run names none; null means <c>{prefix}-egress</c>.</summary>
    public string? SharedEgressNetwork { get; set; }

    /// <summary>
    /// The proxy's log level (LOG-03 debug mode): null keeps the proxy quiet (warnings only). <see cref="LogLevel.Debug"/>
    /// adds a line per egress decision, per masked-secret injection (secret, header and host names) and per AWS
    /// re-signing (scope, signed headers and the canonical request's SHA-256); <see cref="LogLevel.Trace"/> adds the
    /// proxy's HTTP server internals. No level logs a real secret value. When set, the proxy's output is passed on
    /// at the end of each run as Information lines of <c>Airut.Sandbox.Core.Running.SandboxRunner</c>.
    /// </summary>
    public LogLevel? ProxyLogLevel { get; set; }
}
