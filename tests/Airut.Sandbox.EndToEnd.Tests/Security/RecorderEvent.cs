namespace Airut.Sandbox.EndToEnd.Tests.Security;

/// <summary>One line a recorder logged: an accepted connection, received bytes, a datagram, an ICMP packet or an HTTP request.</summary>
/// <param name="Kind">tcp-accept, tcp-data, udp, icmp, icmp-capture, http, http-error, tls-failed or ready.</param>
/// <param name="Port">The recorder's local port (0 for ICMP).</param>
/// <param name="Peer">The sender's address.</param>
/// <param name="Sni">For the upstream recorder's TLS connections, the server name the client (the proxy) sent.</param>
/// <param name="Data">Every byte received (for http: the request head, CRLFCRLF, then the body).</param>
/// <param name="State">For icmp-capture: on or unavailable.</param>
internal sealed record RecorderEvent(string Kind, int Port, string? Peer, string? Sni, byte[] Data, string? State)
{
    /// <summary>Whether this event means something reached the recorder (not its own start-up lines).</summary>
    public bool IsContact => Kind is not ("ready" or "icmp-capture");

    /// <summary>The received bytes as Latin-1 text, one char per byte, for searching.</summary>
    public string Text => System.Text.Encoding.Latin1.GetString(Data);

    /// <summary>Names the event without its bytes: an assertion message must never print a real value.</summary>
    public override string ToString() => $"{Kind} port {Port} from {Peer} sni {Sni} ({Data.Length} bytes)";
}
