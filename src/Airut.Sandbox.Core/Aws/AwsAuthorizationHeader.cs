using System.Text.RegularExpressions;

namespace Airut.Sandbox.Core.Aws;

/// <summary>A parsed SigV4/SigV4A <c>Authorization</c> value (credentials-cli.md SIG-12).</summary>
/// <param name="Algorithm"><c>AWS4-HMAC-SHA256</c> or <c>AWS4-ECDSA-P256-SHA256</c>.</param>
/// <param name="AccessKeyId">The key id before the first <c>/</c> of the credential.</param>
/// <param name="Scope">The credential scope after it (<c>date/region/service/aws4_request</c>, or without region for SigV4A).</param>
/// <param name="SignedHeaders">The <c>SignedHeaders</c> list as sent.</param>
public sealed partial record AwsAuthorizationHeader(string Algorithm, string AccessKeyId, string Scope, string SignedHeaders)
{
    /// <summary>Parses an Authorization value; null when it is not an AWS signature (it then falls through to masking).</summary>
    public static AwsAuthorizationHeader? TryParse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = Grammar().Match(value.TrimStart());
        return match.Success
            ? new AwsAuthorizationHeader(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value)
            : null;
    }

    /// <summary>True when the value starts with an AWS SigV4/SigV4A algorithm name, parseable or not.</summary>
    public static bool LooksLikeAws(string value) =>
        value.TrimStart().StartsWith("AWS4-", StringComparison.Ordinal);

    [GeneratedRegex(@"\A(AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256)\s+Credential=([^/]+)/([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=[0-9a-f]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Grammar();
}
