namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>One <c>masked_secrets</c> entry (credentials-cli.md §1.5): the container sees a surrogate in
/// <see cref="EnvName"/>; the proxy swaps in the real value only for hosts in <see cref="Scopes"/> and
/// headers in <see cref="Headers"/>.</summary>
/// <param name="EnvName">Container environment variable that receives the surrogate.</param>
/// <param name="Value">The real value.</param>
/// <param name="Scopes">Host patterns (allowlist host semantics) where the real value may be sent.</param>
/// <param name="Headers">Header name patterns (case-insensitive globs) the surrogate is replaced in.</param>
/// <param name="AllowForeignCredentials">When false, credentials the proxy did not issue are stripped from exact header names.</param>
public sealed record MaskedSecret(
    string EnvName,
    SecretValue Value,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Headers,
    bool AllowForeignCredentials);
