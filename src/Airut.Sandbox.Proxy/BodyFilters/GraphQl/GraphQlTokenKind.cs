namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>The lexical token kinds of a GraphQL document (GraphQL spec §2.1).</summary>
public enum GraphQlTokenKind
{
    /// <summary>End of the document.</summary>
    End,

    /// <summary>A name: <c>[_A-Za-z][_0-9A-Za-z]*</c>.</summary>
    Name,

    /// <summary>An integer literal.</summary>
    IntValue,

    /// <summary>A float literal.</summary>
    FloatValue,

    /// <summary>A quoted string or a block string.</summary>
    StringValue,

    /// <summary>One of <c>! $ &amp; ( ) ... : = @ [ ] { | }</c>.</summary>
    Punctuator,
}
