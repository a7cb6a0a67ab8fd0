using System.Text.RegularExpressions;

namespace Airut.Sandbox.Core.Aws;

/// <summary>Removes AWS credential material from header values bound for logs (credentials-cli.md SEC-13 [DEV]): the
/// credential and signature of an <c>Authorization</c> value, and <c>X-Amz-Security-Token</c>. Request targets are
/// redacted by <see cref="NetworkLog.NetworkLogUrl.RedactAwsCredentials"/>.</summary>
public static partial class AwsLogRedaction
{
    /// <summary>What replaces a redacted value (the same marker the network log uses for URLs).</summary>
    public const string Marker = NetworkLog.NetworkLogUrl.RedactedValue;

    /// <summary>A header value with AWS credential material redacted: <c>Authorization</c> keeps its algorithm and
    /// SignedHeaders; <c>X-Amz-Security-Token</c> and <c>X-Amz-Credential</c>/<c>X-Amz-Signature</c> headers become
    /// <see cref="Marker"/>. Other headers are returned unchanged.</summary>
    public static string RedactHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
        {
            return AuthorizationSecrets().Replace(value, m => m.Groups[1].Value + Marker);
        }

        return IsSensitiveParameter(name) ? Marker : value;
    }

    private static bool IsSensitiveParameter(string name) =>
        name.Equals(AwsQueryParameters.Credential, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AwsQueryParameters.SecurityToken, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AwsQueryParameters.Signature, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"((?:Credential|Signature)\s*=\s*)[^,\s]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AuthorizationSecrets();
}
