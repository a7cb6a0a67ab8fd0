using YamlDotNet.Core;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>A scalar exactly as written: its source text, quoting style and tag (null when untagged).</summary>
internal sealed record ScalarNode(string Value, ScalarStyle Style, string? Tag, int Line, int Column)
    : ConfigNode(Line, Column)
{
    /// <summary>How YAML 1.1 would type this scalar; quoted and tagged scalars are always text.</summary>
    public PlainScalarKind Kind { get; } =
        Style == ScalarStyle.Plain && Tag is null ? PlainScalarKinds.Resolve(Value) : PlainScalarKind.String;

    /// <summary>True for an empty value, <c>~</c> or <c>null</c> written without quotes.</summary>
    public bool IsNull => Kind == PlainScalarKind.Null;

    /// <summary>True when the node carries <c>!env</c>.</summary>
    public bool IsEnvTag => Tag == ConfigDocumentParser.EnvTag;

    /// <inheritdoc />
    /// <remarks>Shows the text only for plain non-strings (booleans, numbers), never for strings, which may be secrets.</remarks>
    public override string Describe() => IsEnvTag ? "an !env tag" : Kind switch
    {
        PlainScalarKind.Null => "null (an empty value)",
        PlainScalarKind.Boolean => $"the boolean {Value}",
        PlainScalarKind.Integer or PlainScalarKind.Float => $"the number {Value}",
        PlainScalarKind.Timestamp => $"the date {Value}",
        _ => "a string",
    };
}
