using System.Security.Cryptography;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Credentials;

namespace Airut.Sandbox.Core.Aws;

/// <summary>Makes the surrogates of an AWS signing credential (credentials-cli.md SIG-01..SIG-03): key id and secret
/// by the masked-secret rules (<see cref="SurrogateGenerator.Generate"/>: <c>AKIA</c>/<c>ASIA</c> kept, same length
/// and character classes, CSPRNG), the session token as 512 random alphanumerics.</summary>
public static class AwsSurrogateGenerator
{
    /// <summary>The fixed length of a surrogate session token (SIG-03).</summary>
    public const int SessionTokenLength = 512;

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int Attempts = 8;

    /// <summary>Creates the surrogates for one credential.</summary>
    /// <exception cref="SandboxConfigurationException">The key id or secret is empty (SIG-06 [DEV]) or too short to get a
    /// surrogate that differs from it (SEC-10 [DEV]). The message names the key, never the value.</exception>
    public static AwsSurrogateCredential Create(SigningCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var keyId = SurrogateFor(credential.AccessKeyId.Reveal, $"signing_credentials.{credential.Label}.access_key_id");
        var secret = SurrogateFor(credential.SecretAccessKey.Reveal, $"signing_credentials.{credential.Label}.secret_access_key");
        var token = string.IsNullOrEmpty(credential.SessionToken?.Reveal)
            ? null
            : RandomNumberGenerator.GetString(Alphanumerics, SessionTokenLength);
        return new AwsSurrogateCredential(credential, keyId, secret, token);
    }

    private static string SurrogateFor(string value, string key)
    {
        var randomLength = value.Length - SurrogateGenerator.PrefixOf(value).Length;
        if (randomLength < SurrogateGenerator.MinimumRandomLength)
        {
            throw new SandboxConfigurationException(
                $"must have at least {SurrogateGenerator.MinimumRandomLength} characters after any known prefix, got {randomLength}", key: key);
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var surrogate = SurrogateGenerator.Generate(value);
            if (!string.Equals(surrogate, value, StringComparison.Ordinal))
            {
                return surrogate;
            }
        }

        throw new SandboxConfigurationException("could not make a surrogate that differs from the value", key: key);
    }
}
