using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// The output pump between a runtime and the caller: container stdout/stderr byte chunks in, lines out to
/// <see cref="ISandboxOutput"/> as they complete, with a cap on line length and nothing retained (RES-05, CLI-59).
/// Call <see cref="CompleteAsync"/> after the container exits to emit final unterminated lines.
/// </summary>
public sealed class LinePump : IContainerOutputSink
{
    /// <summary>The default line cap in characters.</summary>
    public const int DefaultMaxLineLength = 64 * 1024;

    private readonly LineAssembler _stdout;
    private readonly LineAssembler _stderr;

    /// <summary>Creates a pump into <paramref name="output"/>.</summary>
    public LinePump(ISandboxOutput output, int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentNullException.ThrowIfNull(output);
        _stdout = new LineAssembler(maxLineLength, output.StdoutLineAsync);
        _stderr = new LineAssembler(maxLineLength, output.StderrLineAsync);
    }

    /// <inheritdoc />
    public ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => _stdout.WriteAsync(data, cancellationToken);

    /// <inheritdoc />
    public ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => _stderr.WriteAsync(data, cancellationToken);

    /// <summary>Emits what remains of both streams.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await _stdout.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _stderr.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
