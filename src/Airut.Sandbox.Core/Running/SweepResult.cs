namespace Airut.Sandbox.Core.Running;

/// <summary>What a sweep removed.</summary>
/// <param name="Containers">Container names.</param>
/// <param name="Networks">Network names.</param>
/// <param name="Directories">Run directory paths.</param>
public sealed record SweepResult(IReadOnlyList<string> Containers, IReadOnlyList<string> Networks, IReadOnlyList<string> Directories);
