namespace Airut.Sandbox.Abstractions.Egress;

/// <summary>Decides whether one request may leave the sandbox (network.md §1.5, §2).</summary>
public interface IEgressPolicy
{
    /// <summary>Evaluates a request. Pure and thread-safe; never throws for any input (fail closed).</summary>
    EgressDecision Evaluate(EgressRequest request);
}

/// <summary>The parts of a request the allowlist looks at.</summary>
/// <param name="Host">The decision host: the Host header or <c>:authority</c> without port (PX-4).</param>
/// <param name="RawPathAndQuery">The request target exactly as the client sent it (not decoded).</param>
/// <param name="Method">The method token as sent.</param>
/// <param name="Headers">The request headers, when the caller has them: the policy looks only at
/// method-override header names (METH-02), never at values.</param>
public sealed record EgressRequest(
    string Host,
    string RawPathAndQuery,
    string Method,
    IReadOnlyList<Credentials.HeaderField>? Headers = null);
