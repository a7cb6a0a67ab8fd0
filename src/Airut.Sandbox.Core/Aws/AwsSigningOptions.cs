namespace Airut.Sandbox.Core.Aws;

/// <summary>Limits and switches of the AWS re-signer.</summary>
public sealed record AwsSigningOptions
{
    /// <summary>Presigned URLs asking for a longer lifetime than this (<c>X-Amz-Expires</c>, seconds) are blocked
    /// rather than re-signed, so an echoed URL is not a long-lived bearer credential (AWS-04). Default 3600.</summary>
    public int MaxPresignedExpiresSeconds { get; init; } = 3600;

    /// <summary>When false (default), requests whose credential scope names a credential-minting service
    /// (<see cref="CredentialMintingServices"/>) are blocked instead of re-signed (AWS-05).</summary>
    public bool AllowCredentialMinting { get; init; }

    /// <summary>Services that hand out credentials: <c>sts</c>, <c>iam</c>, <c>sso</c>, <c>sso-oidc</c>, <c>cognito-identity</c>.</summary>
    public IReadOnlySet<string> CredentialMintingServices { get; init; } =
        new HashSet<string>(["sts", "iam", "sso", "sso-oidc", "cognito-identity"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The largest body buffered to compute a deferred payload hash (SIG-40); larger bodies are blocked. Default 32 MiB.</summary>
    public long MaxDeferredBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>The largest aws-chunked data chunk re-signed (memory bound per request); a larger chunk passes through
    /// unchanged and is rejected upstream. Default 16 MiB.</summary>
    public int MaxChunkBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How far <c>x-amz-date</c> may be from the proxy clock before a warning is logged (SIG-65).</summary>
    public TimeSpan ClockSkewWarning { get; init; } = TimeSpan.FromMinutes(5);
}
