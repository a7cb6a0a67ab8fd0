namespace Airut.Sandbox.Core.Aws;

/// <summary>Surrogate access key id → credential (SIG-04), plus the union of signing scopes used to recognise
/// foreign AWS credentials (AWS-06). Immutable once built.</summary>
public sealed class AwsCredentialMap
{
    private readonly Dictionary<string, AwsSurrogateCredential> _bySurrogateKeyId;

    /// <summary>Builds the map; a later entry with the same surrogate key id replaces an earlier one.</summary>
    public AwsCredentialMap(IEnumerable<AwsSurrogateCredential> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _bySurrogateKeyId = new Dictionary<string, AwsSurrogateCredential>(StringComparer.Ordinal);
        foreach (var credential in credentials)
        {
            _bySurrogateKeyId[credential.SurrogateAccessKeyId] = credential;
        }
    }

    /// <summary>The credentials, for building the container environment.</summary>
    public IReadOnlyCollection<AwsSurrogateCredential> Credentials => _bySurrogateKeyId.Values;

    /// <summary>Finds the credential whose surrogate key id is <paramref name="accessKeyId"/>.</summary>
    public bool TryGet(string accessKeyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AwsSurrogateCredential? credential) =>
        _bySurrogateKeyId.TryGetValue(accessKeyId, out credential);

    /// <summary>True when some credential's scopes cover <paramref name="host"/>: there, AWS credentials the proxy
    /// did not issue are not forwarded.</summary>
    public bool IsSigningHost(string host) =>
        _bySurrogateKeyId.Values.Any(c => AwsHostScope.MatchesAny(c.Real.Scopes, host));
}
