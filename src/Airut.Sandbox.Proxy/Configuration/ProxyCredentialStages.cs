using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Core.Credentials;
using Microsoft.Extensions.Logging;

namespace Airut.Sandbox.Proxy.Configuration;

/// <summary>Builds the credential stages (credentials-cli.md §2, §3) from the proxy's configuration document.</summary>
public static class ProxyCredentialStages
{
    /// <summary>The masked-secret masker, or null when the document has no masked secret. Its debug lines (which
    /// secret was injected into which header for which host, by name) go to <paramref name="loggerFactory"/>.</summary>
    public static ICredentialMasker? CreateMasker(ProxyConfiguration configuration, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.MaskedSecrets.Count == 0)
        {
            return null;
        }

        var entries = configuration.MaskedSecrets.Select(s => new SurrogateCredential(
            s.Surrogate,
            new MaskedSecret(s.Name, new SecretValue(s.Value), [.. s.Scopes], [.. s.Headers], s.AllowForeignCredentials)));
        return new SurrogateCredentialMasker(new SurrogateReplacementMap(entries), loggerFactory?.CreateLogger<SurrogateCredentialMasker>());
    }

    /// <summary>The AWS re-signer, or null when the document has no signing credential.</summary>
    public static IRequestSigner? CreateSigner(ProxyConfiguration configuration, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (configuration.SigningCredentials.Count == 0)
        {
            return null;
        }

        var credentials = configuration.SigningCredentials.Select(c => new AwsSurrogateCredential(
            new SigningCredential(
                c.Label,
                new SecretValue(c.AccessKeyId),
                new SecretValue(c.SecretAccessKey),
                c.SessionToken is null ? null : new SecretValue(c.SessionToken),
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                [.. c.Scopes]),
            c.SurrogateAccessKeyId,
            c.SurrogateSecretAccessKey,
            c.SurrogateSessionToken));
        return new AwsRequestSigner(
            new AwsCredentialMap(credentials), new AwsSigningOptions(), loggerFactory.CreateLogger<AwsRequestSigner>(), time ?? TimeProvider.System);
    }
}
