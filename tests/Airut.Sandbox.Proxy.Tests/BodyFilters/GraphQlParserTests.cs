using Airut.Sandbox.Proxy.BodyFilters.GraphQl;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Proxy.Tests.BodyFilters;

/// <summary>The GraphQL lexer and parser behind OPT-5: what parses, what the tree says, and what is refused.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "OPT-5")]
public sealed class GraphQlParserTests
{
    [Fact]
    public void OPT_5_shorthand_query_is_an_anonymous_query_with_its_root_fields()
    {
        var document = GraphQlParser.Parse("{ viewer { login } rateLimit { remaining } }");

        var operation = Assert.Single(document.Operations);
        Assert.Equal(GraphQlOperationType.Query, operation.Type);
        Assert.Null(operation.Name);
        Assert.Equal(["viewer", "rateLimit"], operation.Selections.Cast<GraphQlField>().Select(f => f.Name));
    }

    [Fact]
    public void OPT_5_alias_is_kept_apart_from_the_field_name()
    {
        var operation = Assert.Single(GraphQlParser.Parse("mutation M { viewer: createIssue(input: {title: \"x\"}) { issue { id } } }").Operations);

        var field = Assert.IsType<GraphQlField>(Assert.Single(operation.Selections));
        Assert.Equal(GraphQlOperationType.Mutation, operation.Type);
        Assert.Equal("M", operation.Name);
        Assert.Equal("viewer", field.Alias);
        Assert.Equal("createIssue", field.Name);
    }

    [Fact]
    public void OPT_5_every_value_form_variables_directives_and_comments_parse()
    {
        const string Source = """"
            # leading comment
            query Q($id: ID!, $n: [Int!]! = [1, 2], $f: Float = -1.5e3, $o: In = {a: {b: [true, null, ENUM]}}) @dir(x: 1) {
              node(id: $id, s: "esc \" \\ \/ \b \f \n \r \t \u00e9 \u{1F600}", b: """block "quoted" \""" end""") @include(if: true) {
                id, __typename # trailing comment
              }
            }
            """";

        var operation = Assert.Single(GraphQlParser.Parse(Source).Operations);

        Assert.Equal("Q", operation.Name);
        Assert.Equal("node", Assert.IsType<GraphQlField>(Assert.Single(operation.Selections)).Name);
    }

    [Fact]
    public void OPT_5_fragments_spreads_and_inline_fragments_are_told_apart()
    {
        var document = GraphQlParser.Parse("query { ...F ... on Query { viewer { id } } ... @skip(if: false) { a } } fragment F on Query { viewer { id } }");

        var selections = Assert.Single(document.Operations).Selections;
        Assert.Equal("F", Assert.IsType<GraphQlFragmentSpread>(selections[0]).Name);
        Assert.Equal("Query", Assert.IsType<GraphQlInlineFragment>(selections[1]).TypeCondition);
        Assert.Null(Assert.IsType<GraphQlInlineFragment>(selections[2]).TypeCondition);
        Assert.Equal(["F"], document.FragmentNames);
    }

    [Fact]
    public void OPT_5_several_operations_keep_their_names_in_order()
    {
        var document = GraphQlParser.Parse("query A { a } mutation B { b } subscription C { c }");

        Assert.Equal(["A", "B", "C"], document.Operations.Select(o => o.Name));
        Assert.Equal([GraphQlOperationType.Query, GraphQlOperationType.Mutation, GraphQlOperationType.Subscription], document.Operations.Select(o => o.Type));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   # only a comment")]
    [InlineData("query { }")]
    [InlineData("query { a")]
    [InlineData("{ a(x: ) }")]
    [InlineData("{ a(x: 01) }")]
    [InlineData("{ a(x: 1.) }")]
    [InlineData("{ a(x: 1e) }")]
    [InlineData("{ a(x: 12abc) }")]
    [InlineData("{ a(x: \"unterminated) }")]
    [InlineData("{ a(x: \"line\nbreak\") }")]
    [InlineData("{ a(x: \"bad \\q escape\") }")]
    [InlineData("{ a(x: \"\\u12\") }")]
    [InlineData("{ a(x: \"\\u{110000}\") }")]
    [InlineData("{ a(x: \"\"\"never closed) }")]
    [InlineData("{ a } extra")]
    [InlineData("type Query { a: Int }")]
    [InlineData("schema { query: Query }")]
    [InlineData("fragment on on Query { a }")]
    [InlineData("{ a .. b }")]
    [InlineData("{ a \u0001 }")]
    [InlineData("query ($v: ) { a }")]
    [InlineData("{ ... }")]
    public void OPT_5_malformed_documents_are_refused(string source)
    {
        Assert.Throws<GraphQlSyntaxException>(() => GraphQlParser.Parse(source));
    }

    [Theory]
    [InlineData("{ a(x: ", "[", "1", "]", ") }")]
    [InlineData("{ a(x: ", "{k: ", "1", "}", ") }")]
    [InlineData("{ ", "a { ", "b", " }", " }")]
    [InlineData("query ($v: ", "[", "Int", "]", ") { a }")]
    public void OPT_5_nesting_beyond_the_depth_bound_is_refused_without_exhausting_the_stack(string prefix, string open, string leaf, string close, string suffix)
    {
        const int Depth = 100_000;
        var source = prefix + string.Concat(Enumerable.Repeat(open, Depth)) + leaf + string.Concat(Enumerable.Repeat(close, Depth)) + suffix;

        var error = Assert.Throws<GraphQlSyntaxException>(() => GraphQlParser.Parse(source));

        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OPT_5_nesting_within_the_bound_parses()
    {
        const int Depth = GraphQlParser.MaxDepth - 1;
        var source = string.Concat(Enumerable.Repeat("a { ", Depth)) + "b" + string.Concat(Enumerable.Repeat(" }", Depth));

        var operation = Assert.Single(GraphQlParser.Parse("{ " + source + " }").Operations);

        Assert.Equal("a", Assert.IsType<GraphQlField>(Assert.Single(operation.Selections)).Name);
    }
}
