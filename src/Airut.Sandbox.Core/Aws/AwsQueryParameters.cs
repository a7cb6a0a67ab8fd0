namespace Airut.Sandbox.Core.Aws;

/// <summary>Names of the presigned-URL query parameters (case-sensitive, as AWS defines them).</summary>
public static class AwsQueryParameters
{
    /// <summary><c>X-Amz-Algorithm</c>.</summary>
    public const string Algorithm = "X-Amz-Algorithm";

    /// <summary><c>X-Amz-Credential</c>: <c>KEYID/scope</c>.</summary>
    public const string Credential = "X-Amz-Credential";

    /// <summary><c>X-Amz-Date</c>.</summary>
    public const string Date = "X-Amz-Date";

    /// <summary><c>X-Amz-Expires</c>, in seconds.</summary>
    public const string Expires = "X-Amz-Expires";

    /// <summary><c>X-Amz-SignedHeaders</c>.</summary>
    public const string SignedHeaders = "X-Amz-SignedHeaders";

    /// <summary><c>X-Amz-Signature</c>.</summary>
    public const string Signature = "X-Amz-Signature";

    /// <summary><c>X-Amz-Security-Token</c>.</summary>
    public const string SecurityToken = "X-Amz-Security-Token";
}
