using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Resolves the values CFG-11 calls required (env values, masked secret <c>value</c>, signing keys and token):
/// a scalar is taken as written (CFG-15 [DEV]: <c>true</c> stays <c>"true"</c>, <c>0x10</c> stays <c>"0x10"</c>);
/// <c>!env NAME</c> reads the host variable and fails closed when it is unset, while an empty value is accepted.
/// </summary>
internal sealed class RequiredValueReader(ConfigNodeReader reader, IEnvironmentVariableSource environment)
{
    /// <summary>Resolves a required value; <paramref name="node"/> null means the key is missing (CFG-14).</summary>
    /// <param name="node">The value node, or null when the key is absent.</param>
    /// <param name="owner">Where to report a missing key.</param>
    /// <param name="key">The dotted key path.</param>
    /// <param name="optional">When true, a missing or null value gives null instead of an error (CFG-34).</param>
    public RequiredValue? Read(ConfigNode? node, ConfigNode owner, string key, bool optional = false)
    {
        if (node is null || node is ScalarNode { IsNull: true, Tag: null })
        {
            return optional ? null : throw reader.Error(node ?? owner, key, "value is missing");
        }

        if (node is not ScalarNode scalar)
        {
            throw reader.Error(node, key, $"expected a value (a string or !env NAME), got {node.Describe()}");
        }

        reader.RejectNul(scalar, key);
        if (!scalar.IsEnvTag)
        {
            return new RequiredValue(scalar.Value, null);
        }

        var name = scalar.Value;
        var value = name.Length == 0 ? null : environment.GetVariable(name);
        return value is null
            ? throw reader.Error(node, key, NotSetMessage(name))
            : new RequiredValue(value, name);
    }

    /// <summary>
    /// Names the unset variable, unless the text after <c>!env</c> looks like a pasted credential rather than a
    /// variable name (<c>!env ghp_…</c>, found by the configuration fuzz test): error messages end up in CI logs.
    /// </summary>
    private static string NotSetMessage(string name) =>
        LooksLikeCredential(name)
            ? $"the environment variable named by this !env tag is not set (the {name.Length}-character name is not shown: it looks like a credential, not a variable name)"
            : $"environment variable '{name}' is not set";

    private static bool LooksLikeCredential(string name)
    {
        if (name.Length > 64 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            return name.Length > 0;
        }

        // Variable names are UPPER_CASE (or lower_case); long mixed-case-and-digit text is a token.
        return name.Length >= 16 && name.Any(char.IsAsciiLetterUpper) && name.Any(char.IsAsciiLetterLower) && name.Any(char.IsAsciiDigit);
    }
}
