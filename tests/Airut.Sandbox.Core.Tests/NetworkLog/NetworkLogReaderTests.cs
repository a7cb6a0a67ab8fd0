using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Core.Tests.NetworkLog;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class NetworkLogReaderTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    [Trait("Spec", "LOG-16")]
    public void LOG_16_missing_file_does_not_exist_reads_empty_and_tails_to_offset_zero()
    {
        var reader = new NetworkLogReader(temp.File("missing.log"));

        Assert.False(reader.Exists());
        Assert.Equal(string.Empty, reader.ReadRaw());
        var tail = reader.Tail(123);
        Assert.Empty(tail.Lines);
        Assert.Equal(0, tail.NextOffset);
    }

    [Fact]
    [Trait("Spec", "LOG-16")]
    public void LOG_16_tail_returns_new_lines_drops_empty_ones_and_ends_at_file_end()
    {
        var path = temp.File("net.log");
        File.WriteAllText(path, "one\n\ntwo\n");
        var reader = new NetworkLogReader(path);

        Assert.True(reader.Exists());
        Assert.Equal("one\n\ntwo\n", reader.ReadRaw());
        var first = reader.Tail(0);
        Assert.Equal(["one", "two"], first.Lines);
        Assert.Equal(9, first.NextOffset);

        var nothing = reader.Tail(first.NextOffset);
        Assert.Empty(nothing.Lines);
        Assert.Equal(9, nothing.NextOffset);

        File.AppendAllText(path, "three\n");
        var next = reader.Tail(first.NextOffset);
        Assert.Equal(["three"], next.Lines);
        Assert.Equal(15, next.NextOffset);
    }

    [Fact]
    [Trait("Spec", "LOG-16")]
    public void LOG_16_a_trailing_partial_line_is_held_back_until_complete()
    {
        var path = temp.File("net.log");
        File.WriteAllText(path, "done\nALLOWED GET http://a.te");
        var reader = new NetworkLogReader(path);

        var first = reader.Tail(0);
        Assert.Equal(["done"], first.Lines);
        Assert.Equal(5, first.NextOffset);

        Assert.Empty(reader.Tail(first.NextOffset).Lines);

        File.AppendAllText(path, "st/ -> 200\n");
        var second = reader.Tail(first.NextOffset);
        Assert.Equal(["ALLOWED GET http://a.test/ -> 200"], second.Lines);
    }

    [Fact]
    [Trait("Spec", "LOG-16")]
    public void LOG_16_offsets_count_bytes_so_multibyte_text_is_not_split()
    {
        var path = temp.File("net.log");
        File.WriteAllText(path, "héllo\nwörld\n");
        var reader = new NetworkLogReader(path);

        var first = reader.Tail(0);

        Assert.Equal(["héllo", "wörld"], first.Lines);
        Assert.Equal(new FileInfo(path).Length, first.NextOffset);
    }

    [Fact]
    [Trait("Spec", "LOG-16")]
    public void LOG_16_a_file_shorter_than_the_offset_is_read_again_from_the_start()
    {
        var path = temp.File("net.log");
        File.WriteAllText(path, "new\n");

        var tail = new NetworkLogReader(path).Tail(1000);

        Assert.Equal(["new"], tail.Lines);
        Assert.Equal(4, tail.NextOffset);
    }

    [Fact]
    [Trait("Spec", "LOG-16")]
    public void LOG_16_a_read_error_keeps_the_offset_and_warns()
    {
        var logger = new RecordingLogger<NetworkLogReader>();
        var reader = new NetworkLogReader(temp.Path, logger); // a directory: exists as a path, cannot be read as a file

        var tail = reader.Tail(42);

        Assert.Empty(tail.Lines);
        Assert.Equal(42, tail.NextOffset);
        Assert.Equal(string.Empty, reader.ReadRaw());
        Assert.Equal(2, logger.Lines.Count(l => l.Level == LogLevel.Warning && l.Message.Contains(temp.Path, StringComparison.Ordinal)));
    }
}
