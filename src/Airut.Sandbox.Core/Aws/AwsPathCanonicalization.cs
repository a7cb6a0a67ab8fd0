namespace Airut.Sandbox.Core.Aws;

/// <summary>How the request path becomes the canonical URI (credentials-cli.md SIG-32, SIG-33).</summary>
public enum AwsPathCanonicalization
{
    /// <summary>Every service but S3: dot segments and empty segments removed (a trailing <c>/</c> kept), then the
    /// wire path URI-encoded once more, so pre-encoded octets are double-encoded (<c>%3A</c> → <c>%253A</c>).</summary>
    Normalized,

    /// <summary>Like <see cref="Normalized"/> without removing segments; used by the AWS test suite's
    /// <c>*-unnormalized</c> cases, never chosen by the signer.</summary>
    Unnormalized,

    /// <summary>S3: no normalization; each segment is decoded and encoded once, an encoded <c>/</c> stays <c>%2F</c>.</summary>
    S3,
}
