using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Aws;

/// <summary>A read-only stream that yields the inner <c>aws-chunked</c> body with every chunk re-signed
/// (<see cref="AwsChunkedResigner"/>). Same length as the inner stream.</summary>
public sealed partial class AwsChunkedResigningStream : Stream
{
    private const int ReadSize = 64 * 1024;
    private readonly Stream _inner;
    private readonly AwsChunkedResigner _resigner;
    private readonly ILogger? _logger;
    private readonly ArrayBufferWriter<byte> _ready = new(ReadSize);
    private readonly byte[] _readBuffer = new byte[ReadSize];
    private int _readyOffset;
    private bool _innerDone;

    /// <summary>Wraps <paramref name="inner"/>; disposing this stream disposes it. When the body ends without having
    /// been re-signed to its end, <paramref name="logger"/> gets one error line (SIG-56).</summary>
    public AwsChunkedResigningStream(Stream inner, AwsChunkedResigner resigner, ILogger? logger = null)
    {
        _inner = inner;
        _resigner = resigner;
        _logger = logger;
    }

    /// <summary>True when the body was not re-signed to its end (it went out partly or wholly unchanged).</summary>
    public bool PassedThrough => !_resigner.Completed;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryDrain(buffer, out var copied))
            {
                return copied;
            }

            if (_innerDone)
            {
                return 0;
            }

            Feed(_inner.Read(_readBuffer, 0, _readBuffer.Length));
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryDrain(buffer.Span, out var copied))
            {
                return copied;
            }

            if (_innerDone)
            {
                return 0;
            }

            Feed(await _inner.ReadAsync(_readBuffer, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private bool TryDrain(Span<byte> destination, out int copied)
    {
        copied = 0;
        var available = _ready.WrittenCount - _readyOffset;
        if (available == 0 || destination.IsEmpty)
        {
            return destination.IsEmpty;
        }

        copied = Math.Min(available, destination.Length);
        _ready.WrittenSpan.Slice(_readyOffset, copied).CopyTo(destination);
        _readyOffset += copied;
        if (_readyOffset == _ready.WrittenCount)
        {
            _ready.ResetWrittenCount();
            _readyOffset = 0;
        }

        return true;
    }

    private void Feed(int read)
    {
        if (read == 0)
        {
            _innerDone = true;
            _resigner.Complete(_ready);
            if (!_resigner.Completed && _logger is not null)
            {
                LogPassedThrough(_logger);
            }
        }
        else
        {
            _resigner.Process(_readBuffer.AsSpan(0, read), _ready);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Chunked re-signing failed: the aws-chunked body was not well formed and went out unchanged from that point")]
    private static partial void LogPassedThrough(ILogger logger);
}
