using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// CFG-04: settings that are valid but weaken the sandbox. Each one found becomes one warning line the run logs before
/// it starts, so a reviewer of the CI log sees it. Warnings name keys, hosts and variable names, never a value.
/// </summary>
public static class ConfigurationWarnings
{
    private static readonly string[] CredentialMintingHosts = ["sts.amazonaws.com", "iam.amazonaws.com"];

    /// <summary>The warnings for <paramref name="definition"/>, in a fixed order; empty when nothing is dangerous.</summary>
    public static IReadOnlyList<string> For(SandboxDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var configuration = definition.Configuration;
        var allowlist = definition.Allowlist;
        var warnings = new List<string>();
        if (configuration.NetworkSandbox)
        {
            AddAllowlistWarnings(allowlist, warnings);
        }

        foreach (var secret in configuration.MaskedSecrets)
        {
            if (secret.Scopes.Any(MatchesEverything))
            {
                warnings.Add($"masked_secrets.{secret.EnvName}: scope '*' sends the real value to every allowed host");
            }
            else if (configuration.NetworkSandbox)
            {
                foreach (var scope in secret.Scopes.Where(s => !IsCoveredByAllowlist(s, allowlist)))
                {
                    warnings.Add($"masked_secrets.{secret.EnvName}: scope '{scope}' is not opened by the allowlist, so the secret is never used there");
                }
            }

            if (secret.Headers.Any(MatchesEverything))
            {
                warnings.Add($"masked_secrets.{secret.EnvName}: headers '*' lets the real value be placed in any header the command chooses");
            }

            if (secret.AllowForeignCredentials)
            {
                warnings.Add($"masked_secrets.{secret.EnvName}: allow_foreign_credentials is true, so the command's own credentials reach the scoped hosts unchanged");
            }
        }

        foreach (var credential in configuration.SigningCredentials)
        {
            foreach (var scope in credential.Scopes.Where(IncludesCredentialMintingHost))
            {
                warnings.Add($"signing_credentials.{credential.Label}: scope '{scope}' includes AWS STS/IAM, which can mint new credentials; the proxy refuses those requests (AWS-05), narrow the scope");
            }
        }

        return warnings;
    }

    private static void AddAllowlistWarnings(Allowlist allowlist, List<string> warnings)
    {
        if (allowlist.Domains.Any(MatchesEverything))
        {
            warnings.Add("network-allowlist.yaml: domains entry '*' opens every host for every path and method");
        }

        for (var i = 0; i < allowlist.UrlPrefixes.Count; i++)
        {
            var rule = allowlist.UrlPrefixes[i];
            if (!MatchesEverything(rule.Host))
            {
                continue;
            }

            var where = rule.Location is { } location ? $"{location}: " : "network-allowlist.yaml: ";
            var everything = (rule.Path.Length == 0 || MatchesEverything(rule.Path)) && rule.Methods.Count == 0;
            warnings.Add($"{where}url_prefixes[{i}] host '*' opens every host{(everything ? " for every path and method" : string.Empty)}");
        }
    }

    private static bool MatchesEverything(string pattern) => pattern.Length > 0 && pattern.Trim('*').Length == 0;

    // A literal scope is covered when an allowlist host pattern matches it; a glob scope only by the same pattern or
    // by an allowlist pattern that matches every host (deciding glob inclusion in general is not worth it here).
    private static bool IsCoveredByAllowlist(string scope, Allowlist allowlist)
    {
        var hosts = allowlist.Domains.Concat(allowlist.UrlPrefixes.Select(r => r.Host));
        return GlobPattern.ContainsGlobCharacter(scope)
            ? hosts.Any(h => MatchesEverything(h) || string.Equals(h, scope, StringComparison.OrdinalIgnoreCase))
            : hosts.Any(h => new HostPattern(h).IsMatch(scope));
    }

    private static bool IncludesCredentialMintingHost(string scope)
    {
        var lower = scope.ToLowerInvariant();
        var pattern = new HostPattern(lower);
        return lower.StartsWith("sts.", StringComparison.Ordinal) || lower.StartsWith("iam.", StringComparison.Ordinal)
            || CredentialMintingHosts.Any(pattern.IsMatch);
    }
}
