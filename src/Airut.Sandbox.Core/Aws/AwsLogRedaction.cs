using System.Text.RegularExpressions;

namespace Airut.Sandbox.Core.Aws;

/// <summary>Removes AWS credential material from text bound for logs (credentials-cli.md SEC-13 [DEV]): the values of
/// <c>X-Amz-Credential</c>, <c>X-Amz-Security-Token</c> and <c>X-Amz-Signature</c> in a request target, and the
/// credential and signature of an <c>Authorization</c> value. Everything else is kept so the line stays useful.</summary>
public static partial class AwsLogRedaction
{
    /// <summary>What replaces a redacted value.</summary>
    public const string Marker = "REDACTED";

    /// <summary>A request target (path and query) with the presigned credential parameters redacted. Parameter names
    /// match case-insensitively and whether or not they were percent-encoded.</summary>
    public static string RedactTarget(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return pathAndQuery;
        }

        var pieces = pathAndQuery[(q + 1)..].Split('&').Select(piece =>
        {
            var eq = piece.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? piece : piece[..eq];
            var decoded = AwsUriEncoding.Decode(name, plusIsSpace: true);
            return IsSensitiveParameter(decoded) ? name + "=" + Marker : piece;
        });
        return pathAndQuery[..(q + 1)] + string.Join('&', pieces);
    }

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
