using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Airut.Sandbox.Proxy.Dns;

/// <summary>
/// Parses the first question of a DNS query (DNS-3). It never follows a compression pointer and never reads past
/// the question, so nothing outside it can influence the answer (SEC-23).
/// </summary>
public static class DnsQueryParser
{
    /// <summary>The length of the DNS header.</summary>
    public const int HeaderLength = 12;

    /// <summary>The longest name on the wire, length bytes and the final zero included (RFC 1035 §2.3.4).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Parses a query.</summary>
    /// <param name="packet">The whole DNS message (without the TCP length prefix).</param>
    /// <param name="question">The question, on success. Its memory is a private copy, independent of <paramref name="packet"/>.</param>
    /// <param name="error">Why the packet was rejected, on failure.</param>
    /// <returns>True when the packet is a query with a well-formed first question.</returns>
    public static bool TryParse(
        ReadOnlySpan<byte> packet,
        [NotNullWhen(true)] out DnsQuestion? question,
        [NotNullWhen(false)] out string? error)
    {
        question = null;
        if (packet.Length < HeaderLength)
        {
            error = "packet too short";
            return false;
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (IsResponse(flags))
        {
            error = "not a query (QR bit set)";
            return false;
        }

        var position = HeaderLength;
        var labelRanges = new List<Range>();
        while (true)
        {
            if (position >= packet.Length)
            {
                error = "truncated question";
                return false;
            }

            var length = packet[position];
            if (length == 0)
            {
                position++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                error = "compression pointers not supported";
                return false;
            }

            if ((length & 0xC0) != 0)
            {
                error = "unsupported label type";
                return false;
            }

            if (position + 1 + length > packet.Length)
            {
                error = "truncated question";
                return false;
            }

            labelRanges.Add(new Range(position + 1, position + 1 + length));
            position += 1 + length;
            if (position - HeaderLength + 1 > MaxNameLength)
            {
                error = "name too long";
                return false;
            }
        }

        if (position + 4 > packet.Length)
        {
            error = "truncated question";
            return false;
        }

        // One copy of the question; labels are slices of it, so nothing refers to a reused receive buffer.
        var section = packet[HeaderLength..(position + 4)].ToArray();
        var labels = new ReadOnlyMemory<byte>[labelRanges.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            var (offset, count) = labelRanges[i].GetOffsetAndLength(packet.Length);
            labels[i] = section.AsMemory(offset - HeaderLength, count);
        }

        question = new DnsQuestion(
            Id: BinaryPrimitives.ReadUInt16BigEndian(packet),
            Flags: flags,
            Labels: labels,
            QueryType: BinaryPrimitives.ReadUInt16BigEndian(packet[position..]),
            QueryClass: BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]),
            QuestionSection: section);
        error = null;
        return true;
    }

    /// <summary>Whether the header's QR bit marks the message as a response.</summary>
    /// <param name="flags">The header's flags word.</param>
    /// <returns>True for a response.</returns>
    public static bool IsResponse(ushort flags) => (flags & 0x8000) != 0;
}
