using System.Buffers.Binary;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Unit;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class MultiplexedStreamDemuxerTests
{
    private static byte[] Frame(byte stream, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Frame(byte stream, string text) => Frame(stream, Encoding.UTF8.GetBytes(text));

    private static async Task<RecordingOutputSink> Demux(byte[] data, int maxRead = int.MaxValue)
    {
        var sink = new RecordingOutputSink();
        await MultiplexedStreamDemuxer.CopyAsync(new TrickleStream(data, maxRead), sink, CancellationToken.None);
        return sink;
    }

    [Fact]
    public async Task Frames_go_to_stdout_and_stderr_in_order()
    {
        var data = Frame(1, "out1\n").Concat(Frame(2, "err1\n")).Concat(Frame(1, "out2\n")).ToArray();

        var sink = await Demux(data);

        Assert.Equal(["o", "e", "o"], sink.Chunks.Select(c => c.Stream.ToString()));
        Assert.Equal("out1\nout2\n", Encoding.UTF8.GetString(sink.Stdout));
        Assert.Equal("err1\n", Encoding.UTF8.GetString(sink.Stderr));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(9)]
    public async Task Frames_split_across_reads_reassemble_exactly(int maxRead)
    {
        var data = Frame(1, "hello ").Concat(Frame(2, "warning")).Concat(Frame(1, "world")).ToArray();

        var sink = await Demux(data, maxRead);

        Assert.Equal("hello world", Encoding.UTF8.GetString(sink.Stdout));
        Assert.Equal("warning", Encoding.UTF8.GetString(sink.Stderr));
    }

    [Fact]
    public async Task A_large_frame_is_passed_on_in_pieces_without_loss()
    {
        var payload = new byte[5 * 1024 * 1024 + 17];
        new Random(42).NextBytes(payload);

        var sink = await Demux(Frame(2, payload).Concat(Frame(1, "tail")).ToArray(), maxRead: 100_000);

        Assert.Equal(payload, sink.Stderr);
        Assert.Equal("tail", Encoding.UTF8.GetString(sink.Stdout));
        Assert.True(sink.Chunks.Count(c => c.Stream == 'e') > 1, "a 5 MiB frame should reach the sink in several chunks, not buffered whole");
        Assert.All(sink.Chunks, c => Assert.True(c.Data.Length <= 32 * 1024));
    }

    [Fact]
    public async Task Line_sized_frames_are_cut_out_of_large_reads_not_read_one_by_one()
    {
        var data = Enumerable.Range(0, 1000).SelectMany(i => Frame((byte)(i % 2 + 1), $"line {i:D4}\n")).ToArray();
        var source = new TrickleStream(data, int.MaxValue);
        var sink = new RecordingOutputSink();

        await MultiplexedStreamDemuxer.CopyAsync(source, sink, CancellationToken.None);

        Assert.Equal(1000, sink.Chunks.Count);
        Assert.StartsWith("line 0000\nline 0002\n", Encoding.UTF8.GetString(sink.Stdout), StringComparison.Ordinal);
        Assert.InRange(source.Reads, 1, 5);
    }

    [Fact]
    public async Task An_empty_stream_yields_no_output()
    {
        var sink = await Demux([]);

        Assert.Empty(sink.Chunks);
    }

    [Fact]
    public async Task Empty_frames_are_skipped()
    {
        var sink = await Demux(Frame(1, []).Concat(Frame(2, [])).Concat(Frame(1, "x")).ToArray());

        Assert.Equal("x", Encoding.UTF8.GetString(sink.Stdout));
        Assert.Empty(sink.Stderr);
    }

    [Fact]
    public async Task A_stream_cut_inside_a_header_is_an_error()
    {
        var data = Frame(1, "ok").Concat(new byte[] { 1, 0, 0 }).ToArray();

        var ex = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Demux(data));
        Assert.Contains("header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_cut_inside_a_payload_is_an_error()
    {
        var data = Frame(1, "complete payload")[..12];

        await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Demux(data));
    }

    [Fact]
    public async Task A_raw_unmultiplexed_stream_is_refused()
    {
        var data = Encoding.ASCII.GetBytes("plain tty output\n");

        var ex = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Demux(data));
        Assert.Contains("not multiplexed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_error_frame_fails_with_its_text()
    {
        var data = Frame(1, "before").Concat(Frame(3, "container gone\n")).ToArray();

        var ex = await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Demux(data));
        Assert.EndsWith("container gone", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdin_echo_frames_count_as_stdout()
    {
        var sink = await Demux(Frame(0, "echo"));

        Assert.Equal("echo", Encoding.UTF8.GetString(sink.Stdout));
    }
}
