using System.Security.Cryptography;
using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Core.Aws;

/// <summary>Makes format-preserving surrogates for AWS signing credentials with a CSPRNG (credentials-cli.md
/// SIG-01..SIG-03, MS-01..MS-03).</summary>
public static class AwsSurrogateGenerator
{
    /// <summary>The fixed length of a surrogate session token (SIG-03).</summary>
    public const int SessionTokenLength = 512;

    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private static readonly string[] KeyIdPrefixes = ["AKIA", "ASIA"];

    /// <summary>Creates the surrogates for one credential.</summary>
    /// <exception cref="ArgumentException">The key id or secret is empty (SIG-06 [DEV]); the message names the label only.</exception>
    public static AwsSurrogateCredential Create(SigningCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (string.IsNullOrEmpty(credential.AccessKeyId.Reveal) || string.IsNullOrEmpty(credential.SecretAccessKey.Reveal))
        {
            throw new ArgumentException(
                $"signing_credentials.{credential.Label}: access_key_id and secret_access_key must not be empty",
                nameof(credential));
        }

        var keyId = FormatPreserving(credential.AccessKeyId.Reveal);
        var secret = FormatPreserving(credential.SecretAccessKey.Reveal);
        var token = string.IsNullOrEmpty(credential.SessionToken?.Reveal)
            ? null
            : RandomNumberGenerator.GetString(Upper + Lower + Digits, SessionTokenLength);
        return new AwsSurrogateCredential(credential, keyId, secret, token);
    }

    /// <summary>Same length; a leading <c>AKIA</c>/<c>ASIA</c> is kept; each other character is drawn uniformly from
    /// the classes present in the rest (A-Z, a-z, 0-9, and <c>-_</c> for any other character; <c>a-z0-9</c> when
    /// none). Retries while the surrogate equals the real value (SEC-10).</summary>
    public static string FormatPreserving(string real)
    {
        ArgumentNullException.ThrowIfNull(real);
        var prefix = KeyIdPrefixes.FirstOrDefault(p => real.StartsWith(p, StringComparison.Ordinal)) ?? string.Empty;
        var suffix = real[prefix.Length..];
        if (suffix.Length == 0)
        {
            throw new ArgumentException("a signing credential value must have characters after its prefix", nameof(real));
        }

        var charset = string.Empty;
        if (suffix.Any(char.IsAsciiLetterUpper))
        {
            charset += Upper;
        }

        if (suffix.Any(char.IsAsciiLetterLower))
        {
            charset += Lower;
        }

        if (suffix.Any(char.IsAsciiDigit))
        {
            charset += Digits;
        }

        if (suffix.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            charset += "-_";
        }

        if (charset.Length == 0)
        {
            charset = Lower + Digits;
        }

        for (var attempt = 0; attempt < 16; attempt++)
        {
            var surrogate = prefix + RandomNumberGenerator.GetString(charset, suffix.Length);
            if (!CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(surrogate), System.Text.Encoding.UTF8.GetBytes(real)))
            {
                return surrogate;
            }
        }

        throw new ArgumentException("a signing credential value is too short to get a distinct surrogate", nameof(real));
    }
}
