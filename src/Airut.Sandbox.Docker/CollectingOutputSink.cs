using System.Buffers;
using System.Text;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Docker;

/// <summary>Keeps a container's output in memory, for <see cref="IContainerRuntime.GetLogsAsync"/>.</summary>
internal sealed class CollectingOutputSink : IContainerOutputSink
{
    private readonly ArrayBufferWriter<byte> _stdout = new();
    private readonly ArrayBufferWriter<byte> _stderr = new();

    public ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _stdout.Write(data.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _stderr.Write(data.Span);
        return ValueTask.CompletedTask;
    }

    public ContainerLogs ToLogs() => new(Encoding.UTF8.GetString(_stdout.WrittenSpan), Encoding.UTF8.GetString(_stderr.WrittenSpan));
}
