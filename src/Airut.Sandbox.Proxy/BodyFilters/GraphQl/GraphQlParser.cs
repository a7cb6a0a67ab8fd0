namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>
/// A recursive-descent parser for executable GraphQL documents (GraphQL spec, October 2021, §2): operations,
/// fragments, selection sets, fields with aliases and arguments, fragment spreads, inline fragments, directives,
/// variable definitions and every value form. Type-system definitions are refused: a server executes only
/// executable definitions, so a document that carries anything else is not one this filter should judge.
/// Nesting is capped at <see cref="MaxDepth"/> so that a hostile document cannot exhaust the stack.
/// </summary>
public sealed class GraphQlParser
{
    /// <summary>The deepest nesting of selection sets, lists, objects and list types accepted.</summary>
    public const int MaxDepth = 100;

    private readonly GraphQlLexer _lexer;
    private GraphQlToken _token;
    private int _depth;

    private GraphQlParser(string source)
    {
        _lexer = new GraphQlLexer(source);
        _token = _lexer.Next();
    }

    /// <summary>Parses a whole document.</summary>
    /// <exception cref="GraphQlSyntaxException">The text is not a valid executable document.</exception>
    public static GraphQlDocument Parse(string source) => new GraphQlParser(source).ParseDocument();

    private GraphQlDocument ParseDocument()
    {
        var operations = new List<GraphQlOperation>();
        var fragments = new List<string>();
        do
        {
            if (_token.IsPunctuator("{"))
            {
                operations.Add(new GraphQlOperation(GraphQlOperationType.Query, null, ParseSelectionSet()));
            }
            else if (_token.IsName("query") || _token.IsName("mutation") || _token.IsName("subscription"))
            {
                operations.Add(ParseOperation());
            }
            else if (_token.IsName("fragment"))
            {
                fragments.Add(ParseFragmentDefinition());
            }
            else
            {
                throw Unexpected();
            }
        }
        while (_token.Kind != GraphQlTokenKind.End);

        return new GraphQlDocument(operations, fragments);
    }

    private GraphQlOperation ParseOperation()
    {
        var type = Advance().Text switch
        {
            "query" => GraphQlOperationType.Query,
            "mutation" => GraphQlOperationType.Mutation,
            _ => GraphQlOperationType.Subscription,
        };
        string? name = null;
        if (_token.Kind == GraphQlTokenKind.Name)
        {
            name = Advance().Text;
        }

        if (_token.IsPunctuator("("))
        {
            ParseVariableDefinitions();
        }

        ParseDirectives();
        return new GraphQlOperation(type, name, ParseSelectionSet());
    }

    private string ParseFragmentDefinition()
    {
        Advance();
        if (_token.IsName("on"))
        {
            throw Unexpected();
        }

        var name = ExpectName();
        ExpectName("on");
        ExpectName();
        ParseDirectives();
        ParseSelectionSet();
        return name;
    }

    private void ParseVariableDefinitions()
    {
        Expect("(");
        do
        {
            Expect("$");
            ExpectName();
            Expect(":");
            ParseType();
            if (_token.IsPunctuator("="))
            {
                Advance();
                ParseValue();
            }

            ParseDirectives();
        }
        while (!_token.IsPunctuator(")"));

        Advance();
    }

    private void ParseType()
    {
        if (_token.IsPunctuator("["))
        {
            Enter();
            Advance();
            ParseType();
            Expect("]");
            _depth--;
        }
        else
        {
            ExpectName();
        }

        if (_token.IsPunctuator("!"))
        {
            Advance();
        }
    }

    private List<GraphQlSelection> ParseSelectionSet()
    {
        Enter();
        Expect("{");
        var selections = new List<GraphQlSelection>();
        do
        {
            selections.Add(ParseSelection());
        }
        while (!_token.IsPunctuator("}"));

        Advance();
        _depth--;
        return selections;
    }

    private GraphQlSelection ParseSelection()
    {
        if (_token.IsPunctuator("..."))
        {
            Advance();
            if (_token.Kind == GraphQlTokenKind.Name && !_token.IsName("on"))
            {
                var spread = Advance().Text;
                ParseDirectives();
                return new GraphQlFragmentSpread(spread);
            }

            string? typeCondition = null;
            if (_token.IsName("on"))
            {
                Advance();
                typeCondition = ExpectName();
            }

            ParseDirectives();
            return new GraphQlInlineFragment(typeCondition, ParseSelectionSet());
        }

        string? alias = null;
        var name = ExpectName();
        if (_token.IsPunctuator(":"))
        {
            Advance();
            alias = name;
            name = ExpectName();
        }

        if (_token.IsPunctuator("("))
        {
            ParseArguments();
        }

        ParseDirectives();
        var selections = _token.IsPunctuator("{") ? ParseSelectionSet() : [];
        return new GraphQlField(alias, name, selections);
    }

    private void ParseArguments()
    {
        Expect("(");
        do
        {
            ExpectName();
            Expect(":");
            ParseValue();
        }
        while (!_token.IsPunctuator(")"));

        Advance();
    }

    private void ParseDirectives()
    {
        while (_token.IsPunctuator("@"))
        {
            Advance();
            ExpectName();
            if (_token.IsPunctuator("("))
            {
                ParseArguments();
            }
        }
    }

    private void ParseValue()
    {
        switch (_token.Kind)
        {
            case GraphQlTokenKind.IntValue or GraphQlTokenKind.FloatValue or GraphQlTokenKind.StringValue or GraphQlTokenKind.Name:
                Advance();
                return;
            case GraphQlTokenKind.Punctuator when _token.Text == "$":
                Advance();
                ExpectName();
                return;
            case GraphQlTokenKind.Punctuator when _token.Text == "[":
                Enter();
                Advance();
                while (!_token.IsPunctuator("]"))
                {
                    ParseValue();
                }

                Advance();
                _depth--;
                return;
            case GraphQlTokenKind.Punctuator when _token.Text == "{":
                Enter();
                Advance();
                while (!_token.IsPunctuator("}"))
                {
                    ExpectName();
                    Expect(":");
                    ParseValue();
                }

                Advance();
                _depth--;
                return;
            default:
                throw Unexpected();
        }
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw new GraphQlSyntaxException($"nested deeper than {MaxDepth} levels", _token.Offset);
        }
    }

    private GraphQlToken Advance()
    {
        var current = _token;
        _token = _lexer.Next();
        return current;
    }

    private void Expect(string punctuator)
    {
        if (!_token.IsPunctuator(punctuator))
        {
            throw Unexpected();
        }

        Advance();
    }

    private string ExpectName(string? keyword = null)
    {
        if (_token.Kind != GraphQlTokenKind.Name || (keyword is not null && _token.Text != keyword))
        {
            throw Unexpected();
        }

        return Advance().Text;
    }

    private GraphQlSyntaxException Unexpected() => _token.Kind == GraphQlTokenKind.End
        ? new GraphQlSyntaxException("unexpected end of document", _token.Offset)
        : new GraphQlSyntaxException($"unexpected {_token.Kind.ToString().ToLowerInvariant()} token", _token.Offset);
}
