using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Docker;

/// <summary>
/// Splits Docker's multiplexed attach/logs stream into stdout and stderr. Each frame is an 8-byte header
/// (stream type, three zero bytes, big-endian payload length) followed by the payload.
/// </summary>
/// <remarks>
/// The source is read in large chunks and frames are cut out of them, so a stream of line-sized frames costs
/// one read per chunk, not two per line. Payloads are passed on as they are read, never buffered whole, so a
/// large frame costs no more than the one pooled buffer and output reaches the sink as soon as it arrives.
/// </remarks>
internal static class MultiplexedStreamDemuxer
{
    private const int HeaderLength = 8;
    private const int BufferLength = 32 * 1024;
    private const int MaxSystemErrorLength = 64 * 1024;

    /// <summary>Copies every frame to <paramref name="sink"/> until the stream ends at a frame boundary.</summary>
    /// <exception cref="SandboxInfrastructureException">The stream is malformed, truncated, or carries a daemon error.</exception>
    public static async Task CopyAsync(Stream source, IContainerOutputSink sink, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferLength);
        try
        {
            int start = 0, end = 0;
            while (true)
            {
                // Gather a whole header, keeping whatever part of it the previous read left behind.
                if (end - start < HeaderLength)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                    end += await source.ReadAtLeastAsync(buffer.AsMemory(end), HeaderLength - end, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    if (end == 0)
                    {
                        return;
                    }

                    if (end < HeaderLength)
                    {
                        throw new SandboxInfrastructureException("Docker output stream ended inside a frame header.");
                    }
                }

                var header = buffer.AsSpan(start, HeaderLength);
                var streamType = header[0];
                if (header[1] != 0 || header[2] != 0 || header[3] != 0 || streamType > 3)
                {
                    throw new SandboxInfrastructureException(
                        $"Docker output stream is not multiplexed as expected (header starts with 0x{Convert.ToHexString(header[..4])}).");
                }

                var remaining = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
                start += HeaderLength;
                var systemError = streamType == 3 ? new MemoryStream() : null;
                while (remaining > 0)
                {
                    if (start == end)
                    {
                        start = 0;
                        end = await source.ReadAsync(buffer.AsMemory(0, BufferLength), cancellationToken).ConfigureAwait(false);
                        if (end == 0)
                        {
                            throw new SandboxInfrastructureException("Docker output stream ended inside a frame.");
                        }
                    }

                    var take = (int)Math.Min(remaining, (uint)(end - start));
                    var chunk = buffer.AsMemory(start, take);
                    start += take;
                    remaining -= (uint)take;
                    switch (streamType)
                    {
                        case 2:
                            await sink.WriteStderrAsync(chunk, cancellationToken).ConfigureAwait(false);
                            break;
                        case 3:
                            if (systemError!.Length < MaxSystemErrorLength)
                            {
                                systemError.Write(chunk.Span);
                            }

                            break;
                        default:
                            // 0 (stdin echo) goes with stdout, as Docker's own stdcopy does.
                            await sink.WriteStdoutAsync(chunk, cancellationToken).ConfigureAwait(false);
                            break;
                    }
                }

                if (systemError is not null)
                {
                    throw new SandboxInfrastructureException(
                        "Docker reported an error in the output stream: " + Encoding.UTF8.GetString(systemError.ToArray()).Trim());
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
