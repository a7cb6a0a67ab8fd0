namespace Airut.Sandbox.Proxy.Upstream;

/// <summary>The proxy itself refused to open an upstream connection (unmapped name, restricted address).
/// Its message is written to the network log's <c>ERROR</c> line, so it never holds request data beyond the host.</summary>
public sealed class UpstreamRefusedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public UpstreamRefusedException(string message)
        : base(message)
    {
    }
}
