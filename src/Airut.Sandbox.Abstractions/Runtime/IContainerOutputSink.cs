namespace Airut.Sandbox.Abstractions.Runtime;

/// <summary>Receives a container's output as it comes. Chunks are raw bytes, not lines.</summary>
public interface IContainerOutputSink
{
    /// <summary>Bytes the container wrote to stdout.</summary>
    ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Bytes the container wrote to stderr.</summary>
    ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
