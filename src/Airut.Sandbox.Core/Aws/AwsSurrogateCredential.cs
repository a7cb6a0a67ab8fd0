using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Core.Aws;

/// <summary>A signing credential with the surrogates the container sees (credentials-cli.md §3.1). Printing it
/// shows the surrogates and the label; the real values print as <see cref="SecretValue.Redacted"/>.</summary>
/// <param name="Real">The configured credential (real key id, secret and token).</param>
/// <param name="SurrogateAccessKeyId">Same prefix and length as the real key id (SIG-01); the map key (SIG-04).</param>
/// <param name="SurrogateSecretAccessKey">Same length and character classes as the real secret (SIG-02).</param>
/// <param name="SurrogateSessionToken">512 alphanumerics when the real token is non-empty, else null (SIG-03).</param>
public sealed record AwsSurrogateCredential(
    SigningCredential Real,
    string SurrogateAccessKeyId,
    string SurrogateSecretAccessKey,
    string? SurrogateSessionToken)
{
    /// <summary>The label of the <c>signing_credentials</c> entry.</summary>
    public string Label => Real.Label;

    /// <summary>The real session token when the request should carry one (both real and surrogate exist).</summary>
    public string? RealSessionToken =>
        SurrogateSessionToken is null || string.IsNullOrEmpty(Real.SessionToken?.Reveal) ? null : Real.SessionToken.Reveal;

    /// <summary>Label and surrogates only: printing never shows a real value (the synthesized record printer would
    /// include <see cref="RealSessionToken"/>).</summary>
    public override string ToString() =>
        $"AwsSurrogateCredential {{ Label = {Label}, SurrogateAccessKeyId = {SurrogateAccessKeyId}, SessionToken = {(SurrogateSessionToken is null ? "none" : "surrogate")} }}";

    /// <summary>The container variables for this credential (CFG-33): surrogates only.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ContainerEnvironment()
    {
        var env = new List<KeyValuePair<string, string>>
        {
            new(Real.AccessKeyIdEnvName, SurrogateAccessKeyId),
            new(Real.SecretAccessKeyEnvName, SurrogateSecretAccessKey),
        };
        if (SurrogateSessionToken is not null)
        {
            env.Add(new(Real.SessionTokenEnvName, SurrogateSessionToken));
        }

        return env;
    }
}
