using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Egress;
using Airut.Sandbox.Core.Egress;

namespace Airut.Sandbox.Core.Tests.Egress;

/// <summary>Builds allowlists in tests without YAML.</summary>
internal static class PolicyBuilder
{
    public static UrlPrefixRule Rule(string host, string path = "", params string[] methods) =>
        new(host, path, methods, null);

    public static AllowlistEgressPolicy Policy(string[] domains, params UrlPrefixRule[] rules) =>
        new(new Allowlist(domains, rules));

    public static AllowlistEgressPolicy Policy(params UrlPrefixRule[] rules) => Policy([], rules);

    public static EgressDecision Decide(
        this IEgressPolicy policy, string host, string path, string method = "GET", params HeaderField[] headers) =>
        policy.Evaluate(new EgressRequest(host, path, method, headers));
}
