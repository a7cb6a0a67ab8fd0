using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Credentials;

/// <summary>
/// The surrogate → real value map for masked secrets (MS-07, MS-08) and the container variables that carry the
/// surrogates. Never prints real values.
/// </summary>
public sealed class SurrogateReplacementMap
{
    /// <summary>Builds the map from entries whose surrogates already exist (e.g. read back inside the proxy).</summary>
    /// <exception cref="SandboxConfigurationException">Two entries share a surrogate.</exception>
    public SurrogateReplacementMap(IEnumerable<SurrogateCredential> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = entries.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (!seen.Add(entry.Surrogate))
            {
                throw new SandboxConfigurationException("two masked secrets share a surrogate", key: $"masked_secrets.{entry.EnvName}");
            }
        }
    }

    /// <summary>The map with no entries: masking is a no-op (MS-19).</summary>
    public static SurrogateReplacementMap Empty { get; } = new([]);

    /// <summary>Entries in document order.</summary>
    public IReadOnlyList<SurrogateCredential> Entries { get; }

    /// <summary>Makes a fresh surrogate for every masked secret with a non-empty value (MS-07); empty values get
    /// no entry (MS-08). Surrogates are distinct from each other and from every real value.</summary>
    /// <exception cref="SandboxConfigurationException">A value is too short to mask (SEC-10), or a field is empty.</exception>
    public static SurrogateReplacementMap Create(IEnumerable<MaskedSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var list = secrets.ToArray();
        var reals = list.Select(s => s.Value?.Reveal ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<SurrogateCredential>();
        foreach (var secret in list)
        {
            if (string.IsNullOrEmpty(secret.Value?.Reveal))
            {
                continue;
            }

            var surrogate = SurrogateGenerator.CreateFor(secret.EnvName, secret.Value.Reveal);
            // With at least 8 random characters a clash is practically impossible; retry rather than reason about it.
            for (var attempt = 0; (used.Contains(surrogate) || reals.Contains(surrogate)) && attempt < 8; attempt++)
            {
                surrogate = SurrogateGenerator.CreateFor(secret.EnvName, secret.Value.Reveal);
            }

            if (!used.Add(surrogate) || reals.Contains(surrogate))
            {
                throw new SandboxConfigurationException("could not make a distinct surrogate", key: $"masked_secrets.{secret.EnvName}.value");
            }

            entries.Add(new SurrogateCredential(surrogate, secret));
        }

        return new SurrogateReplacementMap(entries) { ContainerEnvironment = BuildEnvironment(list, entries) };
    }

    /// <summary>Container variables: each masked secret's name with its surrogate, or <c>""</c> for an empty
    /// value (MS-08). Holds no real value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ContainerEnvironment { get; private init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"SurrogateReplacementMap({Entries.Count} entries)";

    private static KeyValuePair<string, string>[] BuildEnvironment(
        IEnumerable<MaskedSecret> secrets, IReadOnlyList<SurrogateCredential> entries)
    {
        var byName = entries.ToDictionary(e => e.EnvName, e => e.Surrogate, StringComparer.Ordinal);
        return secrets
            .Select(s => new KeyValuePair<string, string>(s.EnvName, byName.GetValueOrDefault(s.EnvName, string.Empty)))
            .ToArray();
    }
}
