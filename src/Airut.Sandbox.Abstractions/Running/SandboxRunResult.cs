namespace Airut.Sandbox.Abstractions.Running;

/// <summary>How a sandboxed command ended.</summary>
/// <param name="ExitCode">The command's exit code; 124 on timeout, 137 when killed for memory.</param>
/// <param name="Duration">Wall-clock time of the whole run, setup and teardown included.</param>
/// <param name="TimedOut">The timeout fired and the container was killed.</param>
/// <param name="OomKilled">The container exceeded its memory limit.</param>
/// <param name="NetworkLogPath">Where the network log was written, when it was kept.</param>
public sealed record SandboxRunResult(
    int ExitCode,
    TimeSpan Duration,
    bool TimedOut,
    bool OomKilled,
    string? NetworkLogPath);
