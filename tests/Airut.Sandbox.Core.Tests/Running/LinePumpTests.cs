using System.Text;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class LinePumpTests
{
    private readonly RecordingOutput _output = new();

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    [Trait("Spec", "CLI-58")]
    public async Task CLI_58_lines_are_emitted_as_they_complete_and_a_final_unterminated_line_at_the_end()
    {
        var pump = new LinePump(_output);
        await pump.WriteStdoutAsync(Bytes("hel"), default);
        Assert.Empty(_output.Stdout);
        await pump.WriteStdoutAsync(Bytes("lo\nwor"), default);
        Assert.Equal(["hello"], _output.Stdout);
        await pump.WriteStderrAsync(Bytes("err\n\n"), default);
        await pump.WriteStdoutAsync(Bytes("ld"), default);
        await pump.CompleteAsync(default);

        Assert.Equal(["hello", "world"], _output.Stdout);
        Assert.Equal(["err", string.Empty], _output.Stderr);
    }

    [Fact]
    [Trait("Spec", "RES-05")]
    public async Task RES_05_a_line_longer_than_the_cap_is_split_into_pieces_of_the_cap()
    {
        var pump = new LinePump(_output, maxLineLength: 4);
        await pump.WriteStdoutAsync(Bytes("abcdefghij\nxy\nwxyz\n"), default);
        await pump.CompleteAsync(default);
        Assert.Equal(["abcd", "efgh", "ij", "xy", "wxyz"], _output.Stdout);
    }

    [Fact]
    [Trait("Spec", "RES-05")]
    public async Task RES_05_an_endless_line_fed_in_chunks_never_holds_more_than_the_cap()
    {
        var pump = new LinePump(_output, maxLineLength: 1000);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'A');
        for (var i = 0; i < 160; i++)
        {
            await pump.WriteStdoutAsync(chunk, default);
        }

        await pump.CompleteAsync(default);
        Assert.All(_output.Stdout, line => Assert.True(line.Length <= 1000));
        Assert.Equal(160L * 64 * 1024, _output.Stdout.Sum(l => (long)l.Length));
    }

    [Fact]
    public async Task A_multibyte_character_split_across_chunks_is_decoded_whole()
    {
        var pump = new LinePump(_output);
        var bytes = Encoding.UTF8.GetBytes("ä€😀\n");
        foreach (var b in bytes)
        {
            await pump.WriteStdoutAsync(new[] { b }, default);
        }

        Assert.Equal(["ä€😀"], _output.Stdout);
    }

    [Fact]
    public async Task A_surrogate_pair_at_the_cap_is_not_split()
    {
        var pump = new LinePump(_output, maxLineLength: 3);
        await pump.WriteStdoutAsync(Bytes("ab😀c\n"), default);
        Assert.Equal(["ab", "😀c"], _output.Stdout);
    }

    [Fact]
    public async Task Invalid_UTF8_becomes_replacement_characters()
    {
        var pump = new LinePump(_output);
        await pump.WriteStdoutAsync(new byte[] { 0x61, 0xFF, 0x62, 0x0A }, default);
        Assert.Equal(["a\uFFFDb"], _output.Stdout);
    }

    private sealed class RecordingOutput : ISandboxOutput
    {
        public List<string> Stdout { get; } = [];

        public List<string> Stderr { get; } = [];

        public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken)
        {
            Stdout.Add(line);
            return ValueTask.CompletedTask;
        }

        public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken)
        {
            Stderr.Add(line);
            return ValueTask.CompletedTask;
        }

        public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
