using System.Buffers;

namespace Airut.Sandbox.Podman.Processes;

/// <summary>
/// Collects a child process's output up to a byte limit. Bytes past the limit are counted and dropped, so a
/// chatty or hostile process cannot make us hold unbounded memory.
/// </summary>
public sealed class BoundedOutputBuffer
{
    private readonly ArrayBufferWriter<byte> _kept = new();

    /// <summary>Creates a buffer that keeps at most <paramref name="limit"/> bytes.</summary>
    public BoundedOutputBuffer(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
    }

    /// <summary>The most bytes kept.</summary>
    public int Limit { get; }

    /// <summary>Bytes seen in total, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>True when some bytes were dropped.</summary>
    public bool Truncated => TotalBytes > _kept.WrittenCount;

    /// <summary>Appends bytes, keeping only what fits under the limit.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var room = Limit - _kept.WrittenCount;
        if (room > 0)
        {
            _kept.Write(data[..Math.Min(room, data.Length)]);
        }
    }

    /// <summary>The kept bytes.</summary>
    public byte[] ToArray() => _kept.WrittenSpan.ToArray();

    /// <summary>The kept bytes decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public override string ToString() => System.Text.Encoding.UTF8.GetString(_kept.WrittenSpan);
}
