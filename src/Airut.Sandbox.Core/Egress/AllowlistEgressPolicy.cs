using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Abstractions.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Core.Egress;

/// <summary>
/// The allowlist decision (network.md §1.5, §2.3, §2.4): host validation, unconditional method and path
/// refusals, then <c>domains</c> in order, then <c>url_prefixes</c> in order, first match wins (AL-18).
/// Patterns are compiled once. <see cref="Evaluate"/> is thread-safe and never throws: any internal error
/// blocks the request (PX-20).
/// </summary>
public sealed partial class AllowlistEgressPolicy : IEgressPolicy
{
    private static readonly EgressDecision DomainAllowed = new(true, EgressReason.DomainMatched, null, null);

    private readonly HostPattern[] _domains;
    private readonly CompiledUrlPrefixRule[] _rules;
    private readonly ILogger _logger;

    /// <summary>Compiles the allowlist.</summary>
    /// <exception cref="SandboxConfigurationException">An entry has an empty host pattern or a null field.</exception>
    public AllowlistEgressPolicy(Allowlist allowlist, ILogger<AllowlistEgressPolicy>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(allowlist);
        _logger = logger ?? NullLogger<AllowlistEgressPolicy>.Instance;
        _domains = (allowlist.Domains ?? []).Select((domain, index) =>
            string.IsNullOrEmpty(domain)
                ? throw new SandboxConfigurationException("a domain pattern must be a non-empty string", key: $"domains[{index}]")
                : new HostPattern(domain)).ToArray();
        _rules = (allowlist.UrlPrefixes ?? []).Select((rule, index) =>
            rule is null || string.IsNullOrEmpty(rule.Host)
                ? throw new SandboxConfigurationException("an entry's host must be a non-empty string", rule?.Location, $"url_prefixes[{index}].host")
                : new CompiledUrlPrefixRule(rule)).ToArray();
    }

    /// <inheritdoc />
    public EgressDecision Evaluate(EgressRequest request)
    {
        try
        {
            return Decide(request);
        }
#pragma warning disable CA1031 // Fail closed (PX-20): whatever went wrong, the request must not be forwarded.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogInternalError(_logger, exception.GetType().Name);
            return Block(EgressReason.NotAllowlisted, BlockMessages.NotAllowlisted, null, null, null, "internal error while deciding");
        }
    }

    private EgressDecision Decide(EgressRequest request)
    {
        if (request is null || request.Host is null || request.RawPathAndQuery is null || request.Method is null)
        {
            return Block(EgressReason.NotAllowlisted, BlockMessages.NotAllowlisted, null, null, null, "incomplete request");
        }

        var host = DecisionHost.Normalize(request.Host);
        if (host is null)
        {
            return Block(EgressReason.InvalidHost, BlockMessages.InvalidHost, null, request.RawPathAndQuery, MethodForBody(request.Method), null);
        }

        var method = request.Method;
        if (!HttpMethodRules.IsValidToken(method))
        {
            return Block(EgressReason.UnsafeMethod, BlockMessages.InvalidMethod, host, request.RawPathAndQuery, null, null);
        }

        if (HttpMethodRules.IsAlwaysRefused(method))
        {
            return Block(EgressReason.UnsafeMethod, BlockMessages.MethodAlwaysRefused(method), host, request.RawPathAndQuery, method, null);
        }

        var path = RequestPath.TryParse(request.RawPathAndQuery, out var rejection);
        if (path is null)
        {
            return Block(EgressReason.UnsafePath, BlockMessages.NotAllowlisted, host, request.RawPathAndQuery, method, rejection);
        }

        foreach (var domain in _domains)
        {
            if (domain.IsMatchLowerCase(host))
            {
                return DomainAllowed;
            }
        }

        var methodOnly = false;
        foreach (var rule in _rules)
        {
            if (!rule.Host.IsMatchLowerCase(host) || !rule.Path.IsMatch(path))
            {
                continue;
            }

            if (!rule.AdmitsMethod(method))
            {
                // AL-18: a method-only mismatch does not stop the scan.
                methodOnly = true;
                continue;
            }

            if (rule.RestrictsMethods && MethodOverride.Find(request.Headers, path) is { } carrier)
            {
                return Block(EgressReason.UnsafeMethod, BlockMessages.MethodOverride(carrier), host, request.RawPathAndQuery, method, null);
            }

            return rule.Allowed;
        }

        return methodOnly
            ? Block(EgressReason.MethodNotAllowed, BlockMessages.MethodNotAllowed(method), host, request.RawPathAndQuery, method, null)
            : Block(EgressReason.NotAllowlisted, BlockMessages.NotAllowlisted, host, request.RawPathAndQuery, method, null);
    }

    // An invalid method token is not echoed: it may be huge or hold control characters.
    private static string? MethodForBody(string method) => HttpMethodRules.IsValidToken(method) ? method : null;

    private static EgressDecision Block(
        EgressReason reason, string message, string? host, string? path, string? method, string? detail) =>
        new(false, reason, null, new BlockResponse(BlockResponse.AllowlistError, message, detail)
        {
            Host = host,
            Path = path,
            Method = method,
        });

    [LoggerMessage(Level = LogLevel.Error, Message = "Egress decision failed with {ExceptionType}; the request is blocked")]
    private static partial void LogInternalError(ILogger logger, string exceptionType);
}
