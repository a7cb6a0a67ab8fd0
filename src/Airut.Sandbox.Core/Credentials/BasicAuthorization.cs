using System.Text;

namespace Airut.Sandbox.Core.Credentials;

/// <summary>The <c>Authorization: Basic</c> form (MS-24): <c>Basic </c> (case-sensitive, one space) then standard
/// base64 of UTF-8 <c>user:password</c>, split at the first colon.</summary>
public static class BasicAuthorization
{
    /// <summary>The scheme prefix, exactly.</summary>
    public const string Prefix = "Basic ";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes a header value. Any failure (prefix, base64, UTF-8, no colon) returns false.</summary>
    public static bool TryDecode(string headerValue, out string user, out string password)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        user = password = string.Empty;
        if (!headerValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = headerValue.AsSpan(Prefix.Length);
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    /// <summary>Encodes <c>user:password</c> with padding.</summary>
    public static string Encode(string user, string password) =>
        Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
