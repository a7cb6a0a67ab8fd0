using System.Buffers;
using System.Globalization;
using System.Text;

namespace Airut.Sandbox.Core.Aws;

/// <summary>
/// Re-signs an <c>aws-chunked</c> body as it streams (credentials-cli.md §3.7): every
/// <c>&lt;hex-size&gt;;chunk-signature=&lt;sig&gt;\r\n&lt;data&gt;\r\n</c> frame gets a signature chained from the seed,
/// the terminal chunk and the trailer signature likewise. Input may arrive in segments of any size. Memory is bounded
/// by one chunk plus a header line (or the trailer block). Anything it cannot parse, and everything after it, passes
/// through unchanged (SIG-55, SIG-56): upstream then rejects the request, nothing is forwarded re-signed wrongly.
/// The output length always equals the input length (SIG-57).
/// </summary>
public sealed class AwsChunkedResigner
{
    private const int MaxHeaderLineBytes = 4096;
    private const int MaxTrailerBytes = 16 * 1024;
    private static readonly byte[] SignatureMarker = ";chunk-signature="u8.ToArray();
    private static readonly byte[] TrailerSignatureName = "x-amz-trailer-signature:"u8.ToArray();

    private readonly AwsSignatureAlgorithm _algorithm;
    private readonly string _timestamp;
    private readonly string _scope;
    private readonly bool _trailer;
    private readonly int _maxChunkBytes;
    private readonly ArrayBufferWriter<byte> _pending = new(256);
    private string _previousSignature;
    private State _state = State.Header;
    private int _headerLength;
    private int _sizeTextLength;
    private int _signatureFieldLength;
    private long _chunkSize;

    /// <summary>Starts a re-signer whose first chunk chains from <paramref name="seedSignature"/> (the new Authorization signature).</summary>
    public AwsChunkedResigner(AwsSignatureAlgorithm algorithm, string timestamp, string scope, string seedSignature, bool trailer, int maxChunkBytes)
    {
        _algorithm = algorithm;
        _timestamp = timestamp;
        _scope = scope;
        _previousSignature = seedSignature;
        _trailer = trailer;
        _maxChunkBytes = maxChunkBytes;
    }

    private enum State
    {
        Header,
        Data,
        Trailer,
        PassThrough,
    }

    /// <summary>True once the re-signer gave up and passes bytes through unchanged.</summary>
    public bool PassingThrough => _state == State.PassThrough && !Completed;

    /// <summary>True once the body was re-signed to its end (later bytes pass through).</summary>
    public bool Completed { get; private set; }

    /// <summary>Consumes <paramref name="input"/> and writes whatever is ready to <paramref name="output"/>.</summary>
    public void Process(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (!input.IsEmpty)
        {
            if (_state == State.PassThrough)
            {
                output.Write(input);
                return;
            }

            // Header lines are taken one at a time and data up to the end of its chunk, so the pending buffer never
            // holds more than one frame.
            var take = _state switch
            {
                State.Data => (int)Math.Min(input.Length, _headerLength + _chunkSize + 2 - _pending.WrittenCount),
                State.Header when input.IndexOf((byte)'\n') is var newline and >= 0 => newline + 1,
                _ => input.Length,
            };
            _pending.Write(input[..take]);
            input = input[take..];
            try
            {
                Advance(output);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or System.Security.Cryptography.CryptographicException)
            {
                GiveUp(output);
            }
        }
    }

    /// <summary>Flushes bytes still held at the end of the body, unchanged.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_pending.WrittenCount > 0)
        {
            GiveUp(output);
        }
    }

    private void Advance(IBufferWriter<byte> output)
    {
        while (true)
        {
            var pending = _pending.WrittenSpan;
            switch (_state)
            {
                case State.Header:
                    var lineEnd = pending.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        if (pending.Length > MaxHeaderLineBytes)
                        {
                            GiveUp(output);
                        }

                        return;
                    }

                    if (!TryParseHeader(pending[..lineEnd]))
                    {
                        GiveUp(output);
                        return;
                    }

                    _headerLength = lineEnd + 2;
                    if (_chunkSize == 0)
                    {
                        if (!TryEmitChunk(output, ReadOnlySpan<byte>.Empty, withDataCrlf: false))
                        {
                            return;
                        }

                        if (_trailer)
                        {
                            _state = State.Trailer;
                            continue;
                        }

                        Completed = true;
                        _state = State.PassThrough;
                        return;
                    }

                    _state = State.Data;
                    continue;

                case State.Data:
                    if (pending.Length < _headerLength + _chunkSize + 2)
                    {
                        return;
                    }

                    var data = pending.Slice(_headerLength, (int)_chunkSize);
                    if (!pending[(_headerLength + (int)_chunkSize)..].SequenceEqual("\r\n"u8))
                    {
                        GiveUp(output);
                        return;
                    }

                    if (!TryEmitChunk(output, data, withDataCrlf: true))
                    {
                        return;
                    }

                    _state = State.Header;
                    continue;

                case State.Trailer:
                    if (!TryResignTrailer(output))
                    {
                        if (pending.Length > MaxTrailerBytes)
                        {
                            GiveUp(output);
                        }
                    }

                    return;

                default:
                    return;
            }
        }
    }

    // "<hex-size>;chunk-signature=<sig>" with sig = [0-9a-f]+ then optional '*' padding (SIG-57 [DEV]).
    private bool TryParseHeader(ReadOnlySpan<byte> line)
    {
        var marker = line.IndexOf(SignatureMarker);
        if (marker is <= 0 or > 15)
        {
            return false;
        }

        var sizeText = line[..marker];
        foreach (var b in sizeText)
        {
            if (!char.IsAsciiHexDigit((char)b))
            {
                return false;
            }
        }

        var signature = line[(marker + SignatureMarker.Length)..];
        if (!IsSignatureField(signature))
        {
            return false;
        }

        _chunkSize = long.Parse(Encoding.ASCII.GetString(sizeText), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (_chunkSize > _maxChunkBytes)
        {
            return false;
        }

        _sizeTextLength = marker;
        _signatureFieldLength = signature.Length;
        return true;
    }

    private static bool IsSignatureField(ReadOnlySpan<byte> field)
    {
        var hex = 0;
        while (hex < field.Length && (char.IsAsciiDigit((char)field[hex]) || field[hex] is >= (byte)'a' and <= (byte)'f'))
        {
            hex++;
        }

        if (hex == 0)
        {
            return false;
        }

        foreach (var b in field[hex..])
        {
            if (b != (byte)'*')
            {
                return false;
            }
        }

        return true;
    }

    private bool TryEmitChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> data, bool withDataCrlf)
    {
        var signature = _algorithm.Sign(_algorithm.ChunkStringToSign(_timestamp, _scope, _previousSignature, data));
        if (signature.Length > _signatureFieldLength)
        {
            // A longer field would change Content-Length and desynchronise the connection: never emit it.
            GiveUp(output);
            return false;
        }

        var pending = _pending.WrittenSpan;
        output.Write(pending[.._sizeTextLength]);
        output.Write(SignatureMarker);
        output.Write(Encoding.ASCII.GetBytes(signature.PadRight(_signatureFieldLength, '*')));
        output.Write("\r\n"u8);
        if (withDataCrlf)
        {
            output.Write(data);
            output.Write("\r\n"u8);
        }

        _previousSignature = signature;
        var consumed = _headerLength + data.Length + (withDataCrlf ? 2 : 0);
        var rest = pending[consumed..].ToArray();
        _pending.ResetWrittenCount();
        _pending.Write(rest);
        return true;
    }

    // Trailer block: "name:value\r\n"… then "x-amz-trailer-signature:<sig>\r\n". The trailing headers are signed in
    // canonical form, each line as "name:value\n".
    private bool TryResignTrailer(IBufferWriter<byte> output)
    {
        var pending = _pending.WrittenSpan;
        var lineStart = 0;
        while (true)
        {
            var lineEnd = pending[lineStart..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return false;
            }

            var line = pending.Slice(lineStart, lineEnd);
            if (line.Length >= TrailerSignatureName.Length
                && Ascii.EqualsIgnoreCase(line[..TrailerSignatureName.Length], TrailerSignatureName))
            {
                var field = line[TrailerSignatureName.Length..];
                if (!IsSignatureField(field))
                {
                    GiveUp(output);
                    return true;
                }

                var canonical = new ArrayBufferWriter<byte>(lineStart + 8);
                var trailing = pending[..lineStart];
                while (!trailing.IsEmpty)
                {
                    var end = trailing.IndexOf("\r\n"u8);
                    var header = end < 0 ? trailing : trailing[..end];
                    if (!header.IsEmpty)
                    {
                        canonical.Write(header);
                        canonical.Write("\n"u8);
                    }

                    trailing = end < 0 ? ReadOnlySpan<byte>.Empty : trailing[(end + 2)..];
                }

                var signature = _algorithm.Sign(
                    _algorithm.TrailerStringToSign(_timestamp, _scope, _previousSignature, canonical.WrittenSpan));
                if (signature.Length > field.Length)
                {
                    GiveUp(output);
                    return true;
                }

                output.Write(pending[..(lineStart + TrailerSignatureName.Length)]);
                output.Write(Encoding.ASCII.GetBytes(signature.PadRight(field.Length, '*')));
                output.Write(pending[(lineStart + line.Length)..]);
                _pending.ResetWrittenCount();
                Completed = true;
                _state = State.PassThrough;
                return true;
            }

            lineStart += lineEnd + 2;
        }
    }

    private void GiveUp(IBufferWriter<byte> output)
    {
        output.Write(_pending.WrittenSpan);
        _pending.ResetWrittenCount();
        _state = State.PassThrough;
    }
}
