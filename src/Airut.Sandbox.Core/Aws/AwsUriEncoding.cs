using System.Text;

namespace Airut.Sandbox.Core.Aws;

/// <summary>SigV4 URI encoding (credentials-cli.md SIG-31): unreserved characters stay, every other byte of
/// the UTF-8 form becomes <c>%XX</c> with upper-case hex; a space is <c>%20</c>, never <c>+</c>.</summary>
public static class AwsUriEncoding
{
    /// <summary>Percent-encodes <paramref name="value"/>; <paramref name="keepSlash"/> leaves <c>/</c> literal (paths).</summary>
    public static string Encode(string value, bool keepSlash)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (keepSlash && b == (byte)'/'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Percent-decodes <paramref name="value"/> to UTF-8 text. A <c>%</c> that does not start a valid
    /// escape stays literal; <paramref name="plusIsSpace"/> applies the form rule for query components.</summary>
    public static string Decode(string value, bool plusIsSpace)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.IndexOf('%', StringComparison.Ordinal) < 0 && !(plusIsSpace && value.Contains('+', StringComparison.Ordinal)))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes.Add((byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // A lone surrogate decodes to U+FFFD (one char consumed); a valid pair consumes two.
                Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var consumed);
                i += consumed - 1;
                var written = rune.EncodeToUtf8(utf8);
                for (var k = 0; k < written; k++)
                {
                    bytes.Add(utf8[k]);
                }
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
