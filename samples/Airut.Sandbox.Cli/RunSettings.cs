namespace Airut.Sandbox.Cli;

/// <summary>The <c>run</c> subcommand's own options (CLI-04 table, plus <c>--egress-network</c> from additions.md).</summary>
internal sealed record RunSettings
{
    public string? ConfigPath { get; init; }

    public string? AllowlistPath { get; init; }

    public int? TimeoutSeconds { get; init; }

    public IReadOnlyList<string> Mounts { get; init; } = [];

    public int? MaxImageAgeHours { get; init; }

    public string? NetworkLogPath { get; init; }

    public bool NetworkLogLive { get; init; }

    public string? EgressNetwork { get; init; }
}
