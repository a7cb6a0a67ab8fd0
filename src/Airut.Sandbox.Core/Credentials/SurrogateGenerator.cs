using System.Security.Cryptography;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Credentials;

/// <summary>
/// Makes surrogates for masked secrets (credentials-cli.md §2.1): a known prefix is kept (MS-01), the length is
/// kept (MS-02), and the rest is drawn uniformly from a CSPRNG over the character classes found in the real
/// suffix (MS-03). <see cref="CreateFor"/> adds the SEC-10 [DEV] guard.
/// </summary>
public static class SurrogateGenerator
{
    /// <summary>The shortest random part accepted by <see cref="CreateFor"/> (SEC-10 [DEV]).</summary>
    public const int MinimumRandomLength = 8;

    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Special = "-_";
    private const int Attempts = 8;

    /// <summary>Known prefixes, checked in this order; the first match wins; case-sensitive (MS-01).</summary>
    public static IReadOnlyList<string> KnownPrefixes { get; } =
        ["github_pat_", "ghp_", "gho_", "ghs_", "ghr_", "sk-ant-", "sk-", "xoxb-", "xoxp-", "AKIA", "ASIA"];

    /// <summary>The known prefix the value starts with, or the empty string.</summary>
    public static string PrefixOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var prefix in KnownPrefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return prefix;
            }
        }

        return string.Empty;
    }

    /// <summary>The surrogate exactly as the reference makes it (MS-01..MS-06). A prefix-only value yields
    /// itself (MS-04); use <see cref="CreateFor"/> for secrets.</summary>
    public static string Generate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var prefix = PrefixOf(value);
        var suffix = value.AsSpan(prefix.Length);
        var charset = CharsetFor(suffix);
        return string.Create(value.Length, (prefix, charset), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            for (var i = state.prefix.Length; i < span.Length; i++)
            {
                span[i] = state.charset[RandomNumberGenerator.GetInt32(state.charset.Length)];
            }
        });
    }

    /// <summary>A surrogate for a masked secret, refusing values whose random part is shorter than
    /// <see cref="MinimumRandomLength"/> and never returning the real value (SEC-10 [DEV]).</summary>
    /// <param name="envName">The <c>masked_secrets</c> key, for the error message.</param>
    /// <param name="value">The real, non-empty value.</param>
    /// <exception cref="SandboxConfigurationException">The value is too short to mask. The message never contains it.</exception>
    public static string CreateFor(string envName, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var randomLength = value.Length - PrefixOf(value).Length;
        if (randomLength < MinimumRandomLength)
        {
            throw new SandboxConfigurationException(
                $"the value is too short to mask: its part after any known prefix has {randomLength} characters and at least {MinimumRandomLength} are needed",
                key: $"masked_secrets.{envName}.value");
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var surrogate = Generate(value);
            if (!string.Equals(surrogate, value, StringComparison.Ordinal))
            {
                return surrogate;
            }
        }

        throw new SandboxConfigurationException(
            "could not make a surrogate that differs from the value",
            key: $"masked_secrets.{envName}.value");
    }

    // MS-03: classes seen in the suffix; any non-alphanumeric adds exactly "-_"; nothing seen falls back to a-z0-9.
    private static string CharsetFor(ReadOnlySpan<char> suffix)
    {
        bool upper = false, lower = false, digit = false, special = false;
        foreach (var c in suffix)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (char.IsAsciiDigit(c))
            {
                digit = true;
            }
            else
            {
                special = true;
            }
        }

        if (!upper && !lower && !digit && !special)
        {
            return Lower + Digits;
        }

        return (upper ? Upper : string.Empty) + (lower ? Lower : string.Empty) +
               (digit ? Digits : string.Empty) + (special ? Special : string.Empty);
    }
}
