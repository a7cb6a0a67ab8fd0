using System.Buffers.Binary;
using System.Text;

namespace Airut.Sandbox.Proxy.Tests.Dns;

/// <summary>Hand-built DNS messages for tests.</summary>
internal static class DnsPackets
{
    public const ushort TypeA = 1;
    public const ushort ClassIn = 1;

    /// <summary>A query with one question; labels are Latin-1 so every byte value can be written.</summary>
    public static byte[] Query(ushort id, ushort type, params string[] labels) => Query(id, type, ClassIn, 0x0100, labels);

    public static byte[] Query(ushort id, ushort type, ushort queryClass, ushort flags, params string[] labels)
    {
        var bytes = new List<byte>(64);
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        bytes.AddRange(header);
        foreach (var label in labels)
        {
            var raw = Encoding.Latin1.GetBytes(label);
            bytes.Add((byte)raw.Length);
            bytes.AddRange(raw);
        }

        bytes.Add(0);
        var tail = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(tail, type);
        BinaryPrimitives.WriteUInt16BigEndian(tail.AsSpan(2), queryClass);
        bytes.AddRange(tail);
        return [.. bytes];
    }

    /// <summary>A header (id, RD) followed by arbitrary question bytes.</summary>
    public static byte[] RawQuestion(ushort id, params byte[] question)
    {
        var packet = new byte[12 + question.Length];
        BinaryPrimitives.WriteUInt16BigEndian(packet, id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 1);
        question.CopyTo(packet, 12);
        return packet;
    }

    public static ushort Id(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static ushort Flags(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(2));

    public static int Rcode(byte[] message) => Flags(message) & 0xF;

    public static (ushort Qd, ushort An, ushort Ns, ushort Ar) Counts(byte[] message) => (
        BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4)),
        BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6)),
        BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(8)),
        BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(10)));
}
