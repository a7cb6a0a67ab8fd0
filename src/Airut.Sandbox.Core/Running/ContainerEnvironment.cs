using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Images;

namespace Airut.Sandbox.Core.Running;

/// <summary>
/// Assembles the client container's environment (CFG-60, CFG-61, CFG-62). Sources, where a later one overwrites
/// an earlier variable of the same name (which keeps its first position): <c>env</c>; <c>pass_env</c> values that are
/// set on the host; surrogates (masked secrets, then signing credentials, in config order); <c>AIRUT_VERBOSE=1</c>
/// when verbose; the four CA variables when the proxy runs; <c>IS_SANDBOX=1</c>. Nothing else comes from the host.
/// Never <c>HTTP_PROXY</c> and friends (SEC-24): interception is transparent.
/// </summary>
public static class ContainerEnvironment
{
    /// <summary>The variables that point tools at the per-run CA (TOP-13, TOP-15).</summary>
    public static IReadOnlyList<string> CaVariables { get; } = ["NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"];

    /// <summary>Assembles the environment.</summary>
    /// <param name="configuration">The sandbox configuration (<c>env</c>, <c>pass_env</c>).</param>
    /// <param name="hostVariable">Reads a host variable: null when unset.</param>
    /// <param name="surrogates">Surrogate variables, masked secrets first, then signing credentials, each in config order.</param>
    /// <param name="verbose">Sets <c>AIRUT_VERBOSE=1</c>.</param>
    /// <param name="proxyEnabled">Adds the CA variables.</param>
    /// <exception cref="SandboxConfigurationException">A name is empty or holds <c>=</c> or NUL, or a value holds NUL.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Assemble(
        SandboxConfiguration configuration,
        Func<string, string?> hostVariable,
        IReadOnlyList<KeyValuePair<string, string>> surrogates,
        bool verbose,
        bool proxyEnabled)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(hostVariable);
        ArgumentNullException.ThrowIfNull(surrogates);

        var names = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string name, string value, string source)
        {
            Validate(name, value, source);
            if (!values.ContainsKey(name))
            {
                names.Add(name);
            }

            values[name] = value;
        }

        foreach (var (name, value) in configuration.Env)
        {
            Set(name, value, "env");
        }

        foreach (var name in configuration.PassEnv)
        {
            if (hostVariable(name) is { } value)
            {
                Set(name, value, "pass_env");
            }
        }

        foreach (var (name, value) in surrogates)
        {
            Set(name, value, "masked_secrets");
        }

        if (verbose)
        {
            Set("AIRUT_VERBOSE", "1", "verbose");
        }

        if (proxyEnabled)
        {
            foreach (var name in CaVariables)
            {
                Set(name, PassthroughEntrypoint.CaCertificatePath, "network_sandbox");
            }
        }

        Set("IS_SANDBOX", "1", "sandbox");
        return names.Select(n => new KeyValuePair<string, string>(n, values[n])).ToList();
    }

    private static void Validate(string name, string value, string source)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new SandboxConfigurationException($"Invalid environment variable name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}'", key: source);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // Never echo the value: it may be a secret.
            throw new SandboxConfigurationException($"The value of environment variable '{name}' contains a NUL character", key: source);
        }
    }
}
