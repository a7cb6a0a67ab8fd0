using System.Text;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Turns one byte stream into text lines with bounded memory (RES-05): UTF-8 is decoded incrementally (a sequence
/// split across chunks is kept whole; invalid bytes become U+FFFD), lines end at <c>\n</c> (not included), and a
/// line longer than the cap is emitted in pieces of at most the cap. Not thread-safe: one instance per stream.
/// </summary>
public sealed class LineAssembler
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly char[] _line;
    private readonly char[] _scratch = new char[4096];
    private readonly Func<string, CancellationToken, ValueTask> _emit;
    private int _length;

    /// <summary>Creates an assembler.</summary>
    /// <param name="maxLineLength">The most characters held (and emitted) per line; at least 2.</param>
    /// <param name="emit">Receives each line.</param>
    public LineAssembler(int maxLineLength, Func<string, CancellationToken, ValueTask> emit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 2);
        _line = new char[maxLineLength];
        _emit = emit;
    }

    /// <summary>Consumes a chunk, emitting every line it completes.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            _decoder.Convert(data.Span, _scratch, flush: false, out var bytesUsed, out var charsUsed, out _);
            data = data[bytesUsed..];
            await ConsumeAsync(charsUsed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the stream: flushes the decoder and emits a final line without a newline, if any.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _decoder.Convert(ReadOnlySpan<byte>.Empty, _scratch, flush: true, out _, out var charsUsed, out _);
        await ConsumeAsync(charsUsed, cancellationToken).ConfigureAwait(false);
        if (_length > 0)
        {
            await EmitAsync(_length, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask ConsumeAsync(int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            var c = _scratch[i];
            if (c == '\n')
            {
                await EmitAsync(_length, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (_length == _line.Length)
            {
                // The line is full and goes on: emit a piece now. Never split a surrogate pair: a trailing high
                // surrogate is carried into the next piece.
                var cut = char.IsHighSurrogate(_line[_length - 1]) ? _length - 1 : _length;
                await EmitAsync(cut, cancellationToken).ConfigureAwait(false);
            }

            _line[_length++] = c;
        }
    }

    private async ValueTask EmitAsync(int count, CancellationToken cancellationToken)
    {
        var text = new string(_line, 0, count);
        var carried = _length - count;
        if (carried > 0)
        {
            Array.Copy(_line, count, _line, 0, carried);
        }

        _length = carried;
        await _emit(text, cancellationToken).ConfigureAwait(false);
    }
}
