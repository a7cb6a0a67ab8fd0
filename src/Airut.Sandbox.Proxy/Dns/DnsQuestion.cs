namespace Airut.Sandbox.Proxy.Dns;

/// <summary>The one question of a DNS query, as parsed by <see cref="DnsQueryParser"/>.</summary>
/// <param name="Id">The transaction ID, copied into the reply.</param>
/// <param name="Flags">The query's header flags (only the opcode and RD bit are ever echoed, in FORMERR).</param>
/// <param name="Labels">The name's raw labels, in order; none for the root name.</param>
/// <param name="QueryType">QTYPE.</param>
/// <param name="QueryClass">QCLASS.</param>
/// <param name="QuestionSection">The question's bytes (name, QTYPE, QCLASS) exactly as received, copied into replies.</param>
public sealed record DnsQuestion(
    ushort Id,
    ushort Flags,
    IReadOnlyList<ReadOnlyMemory<byte>> Labels,
    ushort QueryType,
    ushort QueryClass,
    ReadOnlyMemory<byte> QuestionSection);
