using System.Buffers;
using System.Text;

namespace Airut.Sandbox.Core.Egress;

/// <summary>Single percent-decoding (PX-7): each <c>%XX</c> with two hex digits becomes that byte, malformed
/// escapes stay literal, <c>+</c> stays <c>+</c>, and the bytes are read as UTF-8 with invalid sequences
/// becoming U+FFFD. Never decodes twice.</summary>
public static class PercentDecoding
{
    /// <summary>Decodes the text once.</summary>
    public static string DecodeOnce(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        if (span.IndexOf('%') < 0)
        {
            return text;
        }

        // Non-ASCII characters are re-encoded as UTF-8 so that escapes and raw text decode as one byte stream.
        var maxBytes = Encoding.UTF8.GetMaxByteCount(span.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var length = 0;
            var i = 0;
            while (i < span.Length)
            {
                var c = span[i];
                if (c == '%' && i + 2 < span.Length && IsHex(span[i + 1]) && IsHex(span[i + 2]))
                {
                    rented[length++] = (byte)((HexValue(span[i + 1]) << 4) | HexValue(span[i + 2]));
                    i += 3;
                }
                else if (c < 0x80)
                {
                    rented[length++] = (byte)c;
                    i++;
                }
                else
                {
                    var run = i + 1;
                    while (run < span.Length && span[run] >= 0x80)
                    {
                        run++;
                    }

                    length += Encoding.UTF8.GetBytes(span[i..run], rented.AsSpan(length));
                    i = run;
                }
            }

            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
