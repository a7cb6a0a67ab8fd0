using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Core.Aws;

/// <summary>Surrogate access key id → credential (SIG-04) with its compiled scope patterns (MS-15, allowlist host
/// semantics), plus the union of all scopes, where AWS credentials the proxy did not issue are refused (AWS-06).
/// Immutable once built.</summary>
public sealed class AwsCredentialMap
{
    private readonly Dictionary<string, (AwsSurrogateCredential Credential, HostPattern[] Scopes)> _bySurrogateKeyId;

    /// <summary>Builds the map; a later entry with the same surrogate key id replaces an earlier one.</summary>
    public AwsCredentialMap(IEnumerable<AwsSurrogateCredential> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _bySurrogateKeyId = new(StringComparer.Ordinal);
        foreach (var credential in credentials)
        {
            _bySurrogateKeyId[credential.SurrogateAccessKeyId] =
                (credential, credential.Real.Scopes.Select(scope => new HostPattern(scope)).ToArray());
        }
    }

    /// <summary>The credentials, for building the container environment.</summary>
    public IEnumerable<AwsSurrogateCredential> Credentials => _bySurrogateKeyId.Values.Select(entry => entry.Credential);

    /// <summary>Finds the credential whose surrogate key id is <paramref name="accessKeyId"/>.</summary>
    public bool TryGet(string accessKeyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AwsSurrogateCredential? credential)
    {
        var found = _bySurrogateKeyId.TryGetValue(accessKeyId, out var entry);
        credential = found ? entry.Credential : null;
        return found;
    }

    /// <summary>True when one of the scopes of the credential with surrogate key id <paramref name="accessKeyId"/>
    /// matches <paramref name="host"/> (SIG-14).</summary>
    public bool IsInScope(string accessKeyId, string host) =>
        _bySurrogateKeyId.TryGetValue(accessKeyId, out var entry) && entry.Scopes.Any(scope => scope.IsMatch(host));

    /// <summary>True when some credential's scopes cover <paramref name="host"/>: there, AWS credentials the proxy
    /// did not issue are not forwarded.</summary>
    public bool IsSigningHost(string host) =>
        _bySurrogateKeyId.Values.Any(entry => entry.Scopes.Any(scope => scope.IsMatch(host)));
}
