using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Airut.Sandbox.Proxy.Dns;

/// <summary>Builds the three replies the responder ever sends (DNS-5, DNS-6, DNS-9 FORMERR).</summary>
public static class DnsResponseWriter
{
    /// <summary>QR, RD and RA set, RCODE 0: the fixed flags of an A answer (DNS-5).</summary>
    public const ushort AnswerFlags = 0x8180;

    /// <summary>As <see cref="AnswerFlags"/> with RCODE 4 (NOTIMP) (DNS-6).</summary>
    public const ushort NotImplementedFlags = 0x8184;

    /// <summary>The RCODE of a format error.</summary>
    public const ushort FormatErrorCode = 1;

    /// <summary>
    /// The A answer: ID copied, flags 0x8180, counts 1/1/0/0, the question copied byte for byte, and one record
    /// (name pointer 0xC00C, TYPE A, CLASS IN, the TTL, RDATA the address). EDNS records are not echoed.
    /// </summary>
    /// <param name="question">The query's question.</param>
    /// <param name="address">The IPv4 address to answer with.</param>
    /// <param name="ttlSeconds">The record's TTL.</param>
    /// <returns>The reply message.</returns>
    public static byte[] AnswerA(DnsQuestion question, IPAddress address, uint ttlSeconds)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("A records carry IPv4 addresses only.", nameof(address));
        }

        var reply = new byte[DnsQueryParser.HeaderLength + question.QuestionSection.Length + 16];
        WriteHeader(reply, question.Id, AnswerFlags, answerCount: 1);
        question.QuestionSection.Span.CopyTo(reply.AsSpan(DnsQueryParser.HeaderLength));
        var record = reply.AsSpan(DnsQueryParser.HeaderLength + question.QuestionSection.Length);
        BinaryPrimitives.WriteUInt16BigEndian(record, 0xC00C);
        BinaryPrimitives.WriteUInt16BigEndian(record[2..], 1); // TYPE A
        BinaryPrimitives.WriteUInt16BigEndian(record[4..], 1); // CLASS IN
        BinaryPrimitives.WriteUInt32BigEndian(record[6..], ttlSeconds);
        BinaryPrimitives.WriteUInt16BigEndian(record[10..], 4);
        address.TryWriteBytes(record[12..], out _);
        return reply;
    }

    /// <summary>The NOTIMP reply: ID copied, flags 0x8184, counts 1/0/0/0, the question copied, no answer.</summary>
    /// <param name="question">The query's question.</param>
    /// <returns>The reply message.</returns>
    public static byte[] NotImplemented(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var reply = new byte[DnsQueryParser.HeaderLength + question.QuestionSection.Length];
        WriteHeader(reply, question.Id, NotImplementedFlags, answerCount: 0);
        question.QuestionSection.Span.CopyTo(reply.AsSpan(DnsQueryParser.HeaderLength));
        return reply;
    }

    /// <summary>
    /// The FORMERR reply to a query whose header is readable but whose question is not: ID, opcode and RD
    /// copied, QR set, RCODE 1, all counts 0 (nothing of the malformed question is echoed).
    /// </summary>
    /// <param name="id">The query's transaction ID.</param>
    /// <param name="queryFlags">The query's flags word.</param>
    /// <returns>The reply message.</returns>
    public static byte[] FormatError(ushort id, ushort queryFlags)
    {
        var reply = new byte[DnsQueryParser.HeaderLength];
        var flags = (ushort)(0x8000 | (queryFlags & 0x7900) | FormatErrorCode);
        BinaryPrimitives.WriteUInt16BigEndian(reply, id);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), flags);
        return reply;
    }

    private static void WriteHeader(Span<byte> reply, ushort id, ushort flags, ushort answerCount)
    {
        BinaryPrimitives.WriteUInt16BigEndian(reply, id);
        BinaryPrimitives.WriteUInt16BigEndian(reply[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(reply[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply[6..], answerCount);
        BinaryPrimitives.WriteUInt16BigEndian(reply[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply[10..], 0);
    }
}
