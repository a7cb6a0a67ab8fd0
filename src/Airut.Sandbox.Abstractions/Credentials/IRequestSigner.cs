namespace Airut.Sandbox.Abstractions.Credentials;

/// <summary>Detects AWS SigV4/SigV4A requests made with surrogate keys and re-signs them with the real
/// keys (header auth, presigned URLs, aws-chunked streaming) (credentials-cli.md §3).</summary>
public interface IRequestSigner
{
    /// <summary>Re-signs the request in place when it carries a surrogate AWS credential for an in-scope host.</summary>
    ValueTask<SigningResult> SignAsync(ProxiedRequest request, CancellationToken cancellationToken);
}

/// <summary>What the signer did.</summary>
/// <param name="Outcome">Whether the request was signed, left alone, or must be blocked.</param>
/// <param name="CredentialLabel">The <c>signing_credentials</c> label used, when any.</param>
/// <param name="LogAnnotation">A short tag for the network log, without secrets.</param>
/// <param name="Block">The 403 body when <paramref name="Outcome"/> is <see cref="SigningOutcome.Blocked"/>.</param>
public sealed record SigningResult(
    SigningOutcome Outcome,
    string? CredentialLabel = null,
    string? LogAnnotation = null,
    Egress.BlockResponse? Block = null)
{
    /// <summary>Not an AWS request, or not one of ours.</summary>
    public static SigningResult NotApplicable { get; } = new(SigningOutcome.NotApplicable);
}

/// <summary>Outcome of <see cref="IRequestSigner.SignAsync"/>.</summary>
public enum SigningOutcome
{
    /// <summary>Nothing to do.</summary>
    NotApplicable,

    /// <summary>The request now carries a valid signature made with the real credential.</summary>
    Resigned,

    /// <summary>A foreign AWS credential was removed (AWS-06).</summary>
    Stripped,

    /// <summary>The request must not be forwarded (out of scope, minting guard, malformed).</summary>
    Blocked,
}
