namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>One token of a GraphQL document.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Text">The name, the punctuator, the literal text of a number, or the decoded string value.</param>
/// <param name="Offset">Where the token starts in the document, for error messages.</param>
public readonly record struct GraphQlToken(GraphQlTokenKind Kind, string Text, int Offset)
{
    /// <summary>True when the token is the punctuator <paramref name="punctuator"/>.</summary>
    public bool IsPunctuator(string punctuator) =>
        Kind == GraphQlTokenKind.Punctuator && string.Equals(Text, punctuator, StringComparison.Ordinal);

    /// <summary>True when the token is the name <paramref name="name"/>.</summary>
    public bool IsName(string name) =>
        Kind == GraphQlTokenKind.Name && string.Equals(Text, name, StringComparison.Ordinal);
}
