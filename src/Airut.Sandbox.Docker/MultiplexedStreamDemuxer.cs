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
/// Payloads are passed on as they are read, never buffered whole, so a large frame costs one pooled buffer
/// and output reaches the sink as soon as the daemon sends it.
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
        var header = new byte[HeaderLength];
        var buffer = ArrayPool<byte>.Shared.Rent(BufferLength);
        try
        {
            while (true)
            {
                var headerRead = await source.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (headerRead == 0)
                {
                    return;
                }

                if (headerRead < HeaderLength)
                {
                    throw new SandboxInfrastructureException("Docker output stream ended inside a frame header.");
                }

                var streamType = header[0];
                if (header[1] != 0 || header[2] != 0 || header[3] != 0 || streamType > 3)
                {
                    throw new SandboxInfrastructureException(
                        $"Docker output stream is not multiplexed as expected (header starts with 0x{Convert.ToHexString(header, 0, 4)}).");
                }

                var remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                var systemError = streamType == 3 ? new MemoryStream() : null;
                while (remaining > 0)
                {
                    var want = (int)Math.Min(remaining, (uint)BufferLength);
                    var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new SandboxInfrastructureException("Docker output stream ended inside a frame.");
                    }

                    remaining -= (uint)read;
                    var chunk = buffer.AsMemory(0, read);
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
