using System.Buffers.Binary;
using Airut.Sandbox.Abstractions.Runtime;
using Airut.Sandbox.Docker;
using BenchmarkDotNet.Attributes;

namespace Airut.Sandbox.Benchmarks.Docker;

/// <summary>
/// Demultiplexing 16 MiB of Docker's attach stream against the baseline of reading the same bytes in 32 KiB
/// chunks and handing each chunk to the sink unparsed: what the 8-byte framing and the per-frame sink calls cost,
/// for line-sized (80 B) and for pipe-buffer-sized (32 KiB) frames.
/// </summary>
[MemoryDiagnoser]
public class MultiplexedStreamBenchmarks
{
    private const int PayloadBytes = 16 * 1024 * 1024;
    private readonly byte[] _chunk = new byte[32 * 1024];
    private byte[] _framed = [];

    /// <summary>Payload bytes per frame.</summary>
    [Params(80, 32 * 1024)]
    public int FrameBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var framed = new MemoryStream();
        var payload = new byte[FrameBytes];
        new Random(1).NextBytes(payload);
        var header = new byte[8];
        for (var written = 0; written < PayloadBytes; written += FrameBytes)
        {
            header[0] = (byte)(written / FrameBytes % 2 == 0 ? 1 : 2);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)FrameBytes);
            framed.Write(header);
            framed.Write(payload);
        }

        _framed = framed.ToArray();
    }

    [Benchmark(Baseline = true, Description = "read 32 KiB chunks to the sink unparsed")]
    public async Task ChunkedCopy()
    {
        var source = new MemoryStream(_framed, writable: false);
        int read;
        while ((read = await source.ReadAsync(_chunk)) > 0)
        {
            await DiscardingSink.Instance.WriteStdoutAsync(_chunk.AsMemory(0, read), CancellationToken.None);
        }
    }

    [Benchmark(Description = "demultiplex to stdout/stderr")]
    public Task Demultiplex() => MultiplexedStreamDemuxer.CopyAsync(new MemoryStream(_framed, writable: false), DiscardingSink.Instance, CancellationToken.None);

    private sealed class DiscardingSink : IContainerOutputSink
    {
        public static readonly DiscardingSink Instance = new();

        public ValueTask WriteStdoutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
