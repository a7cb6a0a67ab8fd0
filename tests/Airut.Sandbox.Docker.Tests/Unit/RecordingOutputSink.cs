using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Docker.Tests.Unit;

/// <summary>Records every chunk with the stream it went to, in order.</summary>
internal sealed class RecordingOutputSink : IContainerOutputSink
{
    public List<(char Stream, byte[] Data)> Chunks { get; } = [];

    public byte[] Stdout => Chunks.Where(c => c.Stream == 'o').SelectMany(c => c.Data).ToArray();

    public byte[] Stderr => Chunks.Where(c => c.Stream == 'e').SelectMany(c => c.Data).ToArray();

    public ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Chunks.Add(('o', data.ToArray()));
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Chunks.Add(('e', data.ToArray()));
        return ValueTask.CompletedTask;
    }
}
