namespace Airut.Sandbox.Core.Egress;

/// <summary>The texts of allowlist blocks (PX-11, PX-13). The host/path and method texts are the original's.</summary>
public static class BlockMessages
{
    /// <summary>No entry matched host and path, or the path was refused (PX-11).</summary>
    public const string NotAllowlisted =
        "This host/path is not in the network allowlist. To request access, edit .airut/network-allowlist.yaml and submit a PR.";

    /// <summary>The request host is not a valid host name.</summary>
    public const string InvalidHost =
        "The request host is not a valid host name. The network sandbox blocked this request.";

    /// <summary>The method is not a valid HTTP token.</summary>
    public const string InvalidMethod =
        "The request method is not a valid HTTP method token. The network sandbox blocked this request.";

    /// <summary>An entry matched host and path but not the method (PX-11, SEC-13).</summary>
    public static string MethodNotAllowed(string method) =>
        $"Method {method} is not allowed for this URL. To request access, add the method to the entry's 'methods' list in .airut/network-allowlist.yaml and submit a PR.";

    /// <summary>TRACE, TRACK, DEBUG and CONNECT are refused on every host (METH-03, PX-12).</summary>
    public static string MethodAlwaysRefused(string method) =>
        $"Method {method} is never allowed through the network sandbox: it can echo injected credentials back to the sandbox or open a tunnel.";

    /// <summary>A method-override carrier on an entry that restricts methods (METH-02).</summary>
    public static string MethodOverride(string carrier) =>
        $"Method override ('{carrier}') is not allowed for this URL because its allowlist entry restricts methods. Send the real method instead.";
}
