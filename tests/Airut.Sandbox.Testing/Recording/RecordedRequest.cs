namespace Airut.Sandbox.Testing.Recording;

/// <summary>One HTTP/1.1 request as the recorder's naive parser saw it.</summary>
/// <param name="ConnectionId">The connection it came on (0-based, in accept order).</param>
/// <param name="Tls">True when the connection was TLS.</param>
/// <param name="Method">The method token.</param>
/// <param name="Target">The request target exactly as received.</param>
/// <param name="Headers">Header lines in order, duplicates kept.</param>
/// <param name="Body">The body bytes (de-chunked when chunked).</param>
public sealed record RecordedRequest(int ConnectionId, bool Tls, string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Every value of a header, compared case-insensitively.</summary>
    public IReadOnlyList<string> HeaderValues(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();

    /// <summary>True when any header line has this name.</summary>
    public bool HasHeader(string name) => HeaderValues(name).Count > 0;
}
