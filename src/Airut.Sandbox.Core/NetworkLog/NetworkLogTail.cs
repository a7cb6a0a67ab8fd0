namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>The result of <see cref="NetworkLogReader.Tail"/>: the complete lines read and where to read next.</summary>
/// <param name="Lines">Complete, non-empty lines, without their newline.</param>
/// <param name="NextOffset">The byte offset to pass to the next call.</param>
public sealed record NetworkLogTail(IReadOnlyList<string> Lines, long NextOffset);
