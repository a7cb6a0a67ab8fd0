using System.Text.RegularExpressions;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Types plain scalars the way a YAML 1.1 loader (PyYAML, which the original uses) or a YAML 1.2 core-schema
/// loader would, taking the union of both. A value one of them would not load as a string is never read as a
/// string in a position where only strings count (patterns, names): <c>- on</c> is a boolean, not the text "on".
/// </summary>
internal static partial class PlainScalarKinds
{
    /// <summary>The kind of the plain scalar <paramref name="text"/>.</summary>
    public static PlainScalarKind Resolve(string text)
    {
        if (text.Length == 0 || NullPattern().IsMatch(text))
        {
            return PlainScalarKind.Null;
        }

        if (BooleanPattern().IsMatch(text))
        {
            return PlainScalarKind.Boolean;
        }

        if (IntegerPattern().IsMatch(text))
        {
            return PlainScalarKind.Integer;
        }

        if (FloatPattern().IsMatch(text))
        {
            return PlainScalarKind.Float;
        }

        return TimestampPattern().IsMatch(text) ? PlainScalarKind.Timestamp : PlainScalarKind.String;
    }

    [GeneratedRegex(@"^(?:~|null|Null|NULL)\z", RegexOptions.CultureInvariant)]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)\z", RegexOptions.CultureInvariant)]
    private static partial Regex BooleanPattern();

    [GeneratedRegex(
        @"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(
        @"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(
        @"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}
