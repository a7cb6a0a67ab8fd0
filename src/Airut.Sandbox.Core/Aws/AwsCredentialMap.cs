using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Core.Aws;

/// <summary>Surrogate access key id → credential (SIG-04) with its compiled scope patterns (MS-15, allowlist host
/// semantics), plus the union of all scopes, where AWS credentials the proxy did not issue are refused (AWS-06).
/// Immutable once built.</summary>
public sealed class AwsCredentialMap
{
    private readonly Dictionary<string, (AwsSurrogateCredential Credential, HostPattern[] Scopes)> _bySurrogateKeyId;

    /// <summary>Builds the map from credentials whose surrogates already exist (e.g. read back inside the proxy).</summary>
    /// <exception cref="ArgumentException">Two credentials share a surrogate key id.</exception>
    public AwsCredentialMap(IEnumerable<AwsSurrogateCredential> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Credentials = credentials.ToList();
        _bySurrogateKeyId = new(StringComparer.Ordinal);
        foreach (var credential in Credentials)
        {
            if (_bySurrogateKeyId.ContainsKey(credential.SurrogateAccessKeyId))
            {
                throw new ArgumentException($"two signing credentials share a surrogate key id ({credential.Label})", nameof(credentials));
            }

            _bySurrogateKeyId[credential.SurrogateAccessKeyId] =
                (credential, credential.Real.Scopes.Select(scope => new HostPattern(scope)).ToArray());
        }
    }

    /// <summary>The map with no credentials: nothing is re-signed and no AWS credential is refused.</summary>
    public static AwsCredentialMap Empty { get; } = new([]);

    /// <summary>Makes fresh surrogates for every configured credential, in document order (SIG-01..SIG-03).</summary>
    /// <exception cref="Abstractions.Errors.SandboxConfigurationException">A key id or secret cannot be given a surrogate.</exception>
    public static AwsCredentialMap Create(IEnumerable<SigningCredential> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var surrogates = new List<AwsSurrogateCredential>();
        foreach (var credential in credentials)
        {
            // Two credentials must never share a surrogate key id: the map key decides which real key signs.
            AwsSurrogateCredential surrogate;
            do
            {
                surrogate = AwsSurrogateGenerator.Create(credential);
            }
            while (surrogates.Any(s => s.SurrogateAccessKeyId == surrogate.SurrogateAccessKeyId));

            surrogates.Add(surrogate);
        }

        return new AwsCredentialMap(surrogates);
    }

    /// <summary>Container variables of every credential in order (CFG-33): surrogates only. When a name is also a
    /// masked secret's, the caller lets this value win (SIG-05).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ContainerEnvironment() =>
        Credentials.SelectMany(c => c.ContainerEnvironment()).ToList();

    /// <summary>The credentials in document order.</summary>
    public IReadOnlyList<AwsSurrogateCredential> Credentials { get; }

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

    /// <inheritdoc />
    public override string ToString() => $"AwsCredentialMap({Credentials.Count} credentials)";
}
