namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>One <c>signing_credentials</c> entry of type <c>aws-sigv4</c> (credentials-cli.md §1.6).
/// The container gets surrogates; the proxy re-signs SigV4/SigV4A requests to in-scope hosts with the real keys.</summary>
/// <param name="Label">The YAML key; only a label.</param>
/// <param name="AccessKeyId">The real access key id.</param>
/// <param name="SecretAccessKey">The real secret access key.</param>
/// <param name="SessionToken">The real session token, or null when there is none (CFG-34).</param>
/// <param name="AccessKeyIdEnvName">Container variable for the surrogate key id (CFG-33).</param>
/// <param name="SecretAccessKeyEnvName">Container variable for the surrogate secret (CFG-33).</param>
/// <param name="SessionTokenEnvName">Container variable for the surrogate session token (CFG-33).</param>
/// <param name="Scopes">Host patterns where re-signing happens.</param>
public sealed record SigningCredential(
    string Label,
    SecretValue AccessKeyId,
    SecretValue SecretAccessKey,
    SecretValue? SessionToken,
    string AccessKeyIdEnvName,
    string SecretAccessKeyEnvName,
    string SessionTokenEnvName,
    IReadOnlyList<string> Scopes);
