using System.Buffers;
using System.Text;

namespace Airut.Sandbox.Podman;

/// <summary>Turns a byte stream into UTF-8 lines for progress reports; a line is at most 64 KiB.</summary>
internal sealed class LineSplitter(Action<string> onLine)
{
    private const int MaxLineBytes = 64 * 1024;
    private readonly ArrayBufferWriter<byte> _pending = new();

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var chunk = newline < 0 ? data : data[..newline];
            var room = MaxLineBytes - _pending.WrittenCount;
            _pending.Write(chunk[..Math.Min(room, chunk.Length)]);
            if (newline < 0)
            {
                return;
            }

            Flush();
            data = data[(newline + 1)..];
        }
    }

    public void Flush()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        var line = Encoding.UTF8.GetString(_pending.WrittenSpan).TrimEnd('\r');
        _pending.ResetWrittenCount();
        onLine(line);
    }
}
