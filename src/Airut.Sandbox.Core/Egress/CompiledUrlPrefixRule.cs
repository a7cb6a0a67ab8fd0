using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Egress;

namespace Airut.Sandbox.Core.Egress;

/// <summary>A <c>url_prefixes</c> entry with its patterns compiled once, and the allow decision it produces.</summary>
internal sealed class CompiledUrlPrefixRule
{
    private readonly string[] _methods;

    public CompiledUrlPrefixRule(UrlPrefixRule rule)
    {
        Rule = rule;
        Host = new HostPattern(rule.Host);
        Path = new PathPattern(rule.Path ?? string.Empty);
        _methods = (rule.Methods ?? []).Select(m => m.ToUpperInvariant()).ToArray();
        Allowed = new EgressDecision(true, EgressReason.UrlPrefixMatched, rule, null);
    }

    public UrlPrefixRule Rule { get; }

    public HostPattern Host { get; }

    public PathPattern Path { get; }

    /// <summary>True when the entry names methods, so other methods (and method overrides) are refused.</summary>
    public bool RestrictsMethods => _methods.Length > 0;

    public EgressDecision Allowed { get; }

    // AL-18: case-insensitive; an empty list admits every method.
    public bool AdmitsMethod(string method)
    {
        if (_methods.Length == 0)
        {
            return true;
        }

        foreach (var allowed in _methods)
        {
            if (string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
