using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Core.Credentials;

/// <summary>One replacement-map entry (MS-07): the surrogate the container holds, and the masked secret whose
/// real value goes out for in-scope hosts in matching headers. Prints only the variable name.</summary>
public sealed class SurrogateCredential
{
    private readonly HostPattern[] _scopes;
    private readonly HeaderNamePattern[] _headers;

    /// <summary>Compiles scopes and header patterns once.</summary>
    /// <exception cref="SandboxConfigurationException">Empty surrogate, value, scopes or headers.</exception>
    public SurrogateCredential(string surrogate, MaskedSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = $"masked_secrets.{secret.EnvName}";
        if (string.IsNullOrEmpty(surrogate) || string.IsNullOrEmpty(secret.Value?.Reveal))
        {
            throw new SandboxConfigurationException("an entry needs a non-empty value and surrogate", key: key + ".value");
        }

        if (secret.Scopes is not { Count: > 0 } || secret.Scopes.Any(string.IsNullOrEmpty))
        {
            throw new SandboxConfigurationException($"{key}.scopes must be a non-empty list", key: key + ".scopes");
        }

        if (secret.Headers is not { Count: > 0 } || secret.Headers.Any(string.IsNullOrEmpty))
        {
            throw new SandboxConfigurationException($"{key}.headers must be a non-empty list", key: key + ".headers");
        }

        Surrogate = surrogate;
        Secret = secret;
        _scopes = secret.Scopes.Select(scope => new HostPattern(scope)).ToArray();
        _headers = secret.Headers.Select(header => new HeaderNamePattern(header)).ToArray();
    }

    /// <summary>The container variable that holds the surrogate.</summary>
    public string EnvName => Secret.EnvName;

    /// <summary>The surrogate the container sees.</summary>
    public string Surrogate { get; }

    /// <summary>The masked secret, real value included.</summary>
    public MaskedSecret Secret { get; }

    /// <summary>True when any scope matches the host (MS-15, MS-16).</summary>
    public bool IsInScope(string host)
    {
        foreach (var scope in _scopes)
        {
            if (scope.IsMatch(host))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How a header name matches this entry's header patterns (MS-17, MS-21).</summary>
    public HeaderMatch MatchHeader(string headerName)
    {
        var match = HeaderMatch.None;
        foreach (var pattern in _headers)
        {
            if (pattern.IsMatch(headerName))
            {
                if (pattern.IsExact)
                {
                    return HeaderMatch.Exact;
                }

                match = HeaderMatch.Glob;
            }
        }

        return match;
    }

    /// <inheritdoc />
    public override string ToString() => $"SurrogateCredential({EnvName})";
}

/// <summary>How a header name matched an entry's header patterns.</summary>
public enum HeaderMatch
{
    /// <summary>No pattern matched.</summary>
    None,

    /// <summary>Only glob patterns matched: the header is scanned but never stripped (SEC-19).</summary>
    Glob,

    /// <summary>An exact pattern matched: a miss makes the header a strip candidate (MS-21, MS-26).</summary>
    Exact,
}
