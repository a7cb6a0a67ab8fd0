using System.Globalization;
using System.Text;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// Escapes text before it goes into a network log line, so that nothing a client sends can start a new
/// line or forge one (LOG-15 [H], DNS-9 [H], SEC-21).
/// </summary>
public static class NetworkLogEscaping
{
    /// <summary>
    /// Escapes a request-controlled field (method, host, URL, header name, DNS name). Every UTF-8 byte outside
    /// printable ASCII, space and backslash become <c>\xNN</c>, so the field can never contain a separator the
    /// line format relies on (<c> </c>, <c> -> </c>, <c>[</c> after a space, a newline).
    /// </summary>
    /// <param name="field">The raw field.</param>
    /// <returns>The escaped field; unchanged when it was already printable ASCII without backslash.</returns>
    public static string EscapeField(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var clean = true;
        foreach (var c in field)
        {
            if (!IsPlainFieldByte(c))
            {
                clean = false;
                break;
            }
        }

        return clean ? field : EscapeFieldBytes(Encoding.UTF8.GetBytes(field), escapeDot: false);
    }

    /// <summary>
    /// Escapes one raw DNS label. Like <see cref="EscapeField"/>, and a dot inside a label is escaped too,
    /// so the label boundaries of the logged name stay unambiguous.
    /// </summary>
    /// <param name="label">The label bytes as they were on the wire.</param>
    /// <returns>The escaped label.</returns>
    public static string EscapeDnsLabel(ReadOnlySpan<byte> label) => EscapeFieldBytes(label, escapeDot: true);

    /// <summary>
    /// Escapes free text (annotation tags, error messages, warnings): control characters (C0, DEL, C1) and the
    /// Unicode line and paragraph separators become <c>\xNN</c> or <c>\uNNNN</c>; spaces and other text stay.
    /// Applying it twice gives the same result as applying it once.
    /// </summary>
    /// <param name="text">The raw text.</param>
    /// <returns>The escaped text.</returns>
    public static string EscapeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var firstBad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsLineBreaking(text[i]))
            {
                firstBad = i;
                break;
            }
        }

        if (firstBad < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsLineBreaking(c))
            {
                builder.Append(c);
            }
            else if (c <= 0xFF)
            {
                builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsPlainFieldByte(int b) => b is > 0x20 and < 0x7F && b != '\\';

    private static bool IsLineBreaking(char c) =>
        c < 0x20 || c is >= (char)0x7F and <= (char)0x9F || c == '\u2028' || c == '\u2029';

    private static string EscapeFieldBytes(ReadOnlySpan<byte> bytes, bool escapeDot)
    {
        var builder = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            if (IsPlainFieldByte(b) && !(escapeDot && b == '.'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
