namespace Airut.Sandbox.Core.Aws;

/// <summary>The parts of a credential scope (credentials-cli.md SIG-20). SigV4: <c>date/region/service/aws4_request</c>;
/// SigV4A: <c>date/service/aws4_request</c>.</summary>
/// <param name="Value">The scope as sent; signed verbatim.</param>
/// <param name="Date">Part 0.</param>
/// <param name="Region">SigV4 part 1; empty for SigV4A.</param>
/// <param name="Service">The second-to-last part.</param>
public sealed record AwsCredentialScope(string Value, string Date, string Region, string Service)
{
    /// <summary>True for S3 (path rules SIG-33, presigned payload).</summary>
    public bool IsS3 => Service == "s3";

    /// <summary>Splits <paramref name="scope"/> for <paramref name="algorithm"/>.</summary>
    public static AwsCredentialScope Parse(string scope, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var parts = scope.Split('/');
        var sigV4A = algorithm == AwsSignatureAlgorithm.SigV4AName;
        var region = !sigV4A && parts.Length >= 3 ? parts[1] : string.Empty;
        var service = parts.Length >= 2 ? parts[^2] : string.Empty;
        return new AwsCredentialScope(scope, parts[0], region, service);
    }
}
