namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// The only checks on container variable names (CFG-19 leaves names free otherwise): a name must be
/// non-empty and hold no <c>=</c> or control character, because exec cannot represent such a name and
/// <c>-e NAME=VALUE</c> would split it into a different variable.
/// </summary>
internal static class EnvironmentVariableNameRule
{
    /// <summary>Null when <paramref name="name"/> can be a variable name, otherwise why not.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0)
        {
            return "an environment variable name must not be empty";
        }

        if (name.Contains('=', StringComparison.Ordinal))
        {
            return $"'{name}' cannot be an environment variable name: it contains '='";
        }

        return name.Any(char.IsControl)
            ? "an environment variable name cannot contain control characters (newline, tab, NUL)"
            : null;
    }
}
