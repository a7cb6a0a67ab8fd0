using System.Text;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Runtime.Conformance;

/// <summary>Records what a container printed, per stream, and lets a test react to stdout as it arrives.</summary>
public sealed class CollectingOutputSink : IContainerOutputSink
{
    private readonly object _gate = new();
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private readonly Action<string>? _onStdout;

    /// <summary>Creates the sink; <paramref name="onStdout"/> sees the whole stdout so far after every chunk.</summary>
    public CollectingOutputSink(Action<string>? onStdout = null) => _onStdout = onStdout;

    /// <summary>Everything written to stdout.</summary>
    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_stdout.ToArray());
            }
        }
    }

    /// <summary>Everything written to stderr.</summary>
    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_stderr.ToArray());
            }
        }
    }

    /// <inheritdoc />
    public ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stdout.Write(data.Span);
        }

        _onStdout?.Invoke(Stdout);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stderr.Write(data.Span);
        }

        return ValueTask.CompletedTask;
    }
}
