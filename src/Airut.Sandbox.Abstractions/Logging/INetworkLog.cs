namespace Airut.Sandbox.Abstractions.Logging;

/// <summary>
/// The network activity log (network.md §4): one line per event, whole-line appends, no timestamps except the
/// start marker. Implementations escape request-controlled text, never throw, and copy loud lines
/// (<c>BLOCKED</c>, <c>ERROR</c>, <c>STRIPPED</c>, <c>COLLAPSED</c>, warnings) to the proxy's stdout (LOG-13).
/// </summary>
public interface INetworkLog
{
    /// <summary>Appends one line.</summary>
    void Write(NetworkLogLine line);
}

/// <summary>A formatted network log line and whether it is loud (also goes to stdout).</summary>
/// <param name="Text">The line without its newline; already escaped.</param>
/// <param name="Loud">True for lines that also go to the proxy's stdout.</param>
public sealed record NetworkLogLine(string Text, bool Loud);
