using System.Net;
using System.Net.Sockets;
using Airut.Sandbox.Abstractions.Logging;
using Airut.Sandbox.Core.NetworkLog;

namespace Airut.Sandbox.Proxy.Dns;

/// <summary>
/// Answers one DNS message: every A query (class IN) with the proxy's address, every other type or class with
/// NOTIMP (DNS-5, DNS-6; never NXDOMAIN, never forwarded, SEC-22), and a query whose question cannot be parsed
/// with FORMERR (DNS-9 [I]). Messages too short for a header, and responses, get no reply. Each answered query
/// adds one DNS line to the network log (DNS-7).
/// </summary>
public sealed class DnsQueryHandler
{
    private const ushort TypeA = 1;
    private const ushort ClassIn = 1;

    private readonly IPAddress proxyAddress;
    private readonly uint ttlSeconds;
    private readonly INetworkLog? networkLog;

    /// <summary>Creates the handler.</summary>
    /// <param name="proxyAddress">The IPv4 address every A query gets.</param>
    /// <param name="ttlSeconds">The answer's TTL.</param>
    /// <param name="networkLog">Receives one line per answered query; null when there is no log file (DNS-7).</param>
    public DnsQueryHandler(IPAddress proxyAddress, uint ttlSeconds, INetworkLog? networkLog)
    {
        ArgumentNullException.ThrowIfNull(proxyAddress);
        if (proxyAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"The proxy address {proxyAddress} is not an IPv4 address.", nameof(proxyAddress));
        }

        this.proxyAddress = proxyAddress;
        this.ttlSeconds = ttlSeconds;
        this.networkLog = networkLog;
    }

    /// <summary>Answers a message.</summary>
    /// <param name="message">The DNS message (for TCP, without its length prefix).</param>
    /// <param name="error">Why the message was malformed, when it was; for the responder's stdout (DNS-4).</param>
    /// <returns>The reply, or null when nothing is to be sent.</returns>
    public byte[]? Handle(ReadOnlySpan<byte> message, out string? error)
    {
        if (!DnsQueryParser.TryParse(message, out var question, out error))
        {
            if (message.Length < DnsQueryParser.HeaderLength)
            {
                return null;
            }

            var id = (ushort)((message[0] << 8) | message[1]);
            var flags = (ushort)((message[2] << 8) | message[3]);
            return DnsQueryParser.IsResponse(flags) ? null : DnsResponseWriter.FormatError(id, flags);
        }

        if (question.QueryType == TypeA && question.QueryClass == ClassIn)
        {
            networkLog?.Write(NetworkLogLines.DnsAnswer(question.Labels, proxyAddress));
            return DnsResponseWriter.AnswerA(question, proxyAddress, ttlSeconds);
        }

        networkLog?.Write(NetworkLogLines.DnsNotImplemented(question.QueryType, question.Labels));
        return DnsResponseWriter.NotImplemented(question);
    }
}
