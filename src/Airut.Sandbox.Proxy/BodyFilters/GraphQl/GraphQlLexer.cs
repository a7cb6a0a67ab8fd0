using System.Globalization;
using System.Text;

namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>
/// Splits a GraphQL document into tokens (GraphQL spec, October 2021, §2.1). Whitespace, line terminators, commas,
/// a byte-order mark and <c>#</c> comments are skipped. Control characters other than tab, LF and CR are refused
/// everywhere, as are raw line terminators inside quoted strings.
/// </summary>
public sealed class GraphQlLexer
{
    private readonly string _source;
    private int _position;

    /// <summary>Starts lexing <paramref name="source"/>.</summary>
    public GraphQlLexer(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>Reads the next token; <see cref="GraphQlTokenKind.End"/> at the end of the document.</summary>
    /// <exception cref="GraphQlSyntaxException">The text at the current position is not a token.</exception>
    public GraphQlToken Next()
    {
        SkipIgnored();
        if (_position >= _source.Length)
        {
            return new GraphQlToken(GraphQlTokenKind.End, string.Empty, _position);
        }

        var start = _position;
        var c = _source[_position];
        switch (c)
        {
            case '!' or '$' or '&' or '(' or ')' or ':' or '=' or '@' or '[' or ']' or '{' or '|' or '}':
                _position++;
                return new GraphQlToken(GraphQlTokenKind.Punctuator, Punctuator(c), start);
            case '.':
                if (string.CompareOrdinal(_source, _position, "...", 0, 3) != 0)
                {
                    throw new GraphQlSyntaxException("unexpected '.'", start);
                }

                _position += 3;
                return new GraphQlToken(GraphQlTokenKind.Punctuator, "...", start);
            case '"':
                return string.CompareOrdinal(_source, _position, "\"\"\"", 0, 3) == 0 ? ReadBlockString() : ReadString();
        }

        if (IsNameStart(c))
        {
            _position++;
            while (_position < _source.Length && IsNameContinue(_source[_position]))
            {
                _position++;
            }

            return new GraphQlToken(GraphQlTokenKind.Name, _source[start.._position], start);
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ReadNumber();
        }

        throw new GraphQlSyntaxException($"unexpected character U+{(int)c:X4}", start);
    }

    private void SkipIgnored()
    {
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (c is ' ' or '\t' or '\n' or '\r' or ',' or '\uFEFF')
            {
                _position++;
            }
            else if (c == '#')
            {
                while (_position < _source.Length && _source[_position] is not ('\n' or '\r'))
                {
                    RefuseControl(_source[_position], _position);
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private GraphQlToken ReadNumber()
    {
        var start = _position;
        var isFloat = false;
        if (Peek() == '-')
        {
            _position++;
        }

        if (Peek() == '0')
        {
            _position++;
            if (char.IsAsciiDigit(Peek()))
            {
                throw new GraphQlSyntaxException("a number may not have a leading zero", start);
            }
        }
        else
        {
            ReadDigits(start);
        }

        if (Peek() == '.')
        {
            isFloat = true;
            _position++;
            ReadDigits(start);
        }

        if (Peek() is 'e' or 'E')
        {
            isFloat = true;
            _position++;
            if (Peek() is '+' or '-')
            {
                _position++;
            }

            ReadDigits(start);
        }

        var next = Peek();
        if (next == '.' || IsNameStart(next))
        {
            throw new GraphQlSyntaxException("invalid number", start);
        }

        return new GraphQlToken(isFloat ? GraphQlTokenKind.FloatValue : GraphQlTokenKind.IntValue, _source[start.._position], start);
    }

    private void ReadDigits(int numberStart)
    {
        if (!char.IsAsciiDigit(Peek()))
        {
            throw new GraphQlSyntaxException("invalid number", numberStart);
        }

        while (char.IsAsciiDigit(Peek()))
        {
            _position++;
        }
    }

    private GraphQlToken ReadString()
    {
        var start = _position;
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _source.Length)
            {
                throw new GraphQlSyntaxException("unterminated string", start);
            }

            var c = _source[_position];
            if (c == '"')
            {
                _position++;
                return new GraphQlToken(GraphQlTokenKind.StringValue, value.ToString(), start);
            }

            if (c is '\n' or '\r')
            {
                throw new GraphQlSyntaxException("line break inside a string", _position);
            }

            RefuseControl(c, _position);
            if (c != '\\')
            {
                value.Append(c);
                _position++;
                continue;
            }

            _position++;
            var escape = Peek();
            _position++;
            switch (escape)
            {
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                case '/': value.Append('/'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'u': value.Append(ReadUnicodeEscape()); break;
                default: throw new GraphQlSyntaxException("invalid escape sequence", _position - 2);
            }
        }
    }

    private string ReadUnicodeEscape()
    {
        var start = _position - 2;
        int end;
        if (Peek() == '{')
        {
            end = _source.IndexOf('}', _position);
            var digits = end < 0 ? ReadOnlySpan<char>.Empty : _source.AsSpan(_position + 1, end - _position - 1);
            if (digits.IsEmpty || digits.Length > 6 || !int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var scalar)
                || scalar > 0x10FFFF || scalar is >= 0xD800 and <= 0xDFFF)
            {
                throw new GraphQlSyntaxException("invalid unicode escape", start);
            }

            _position = end + 1;
            return char.ConvertFromUtf32(scalar);
        }

        end = _position + 4;
        if (end > _source.Length || !int.TryParse(_source.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
        {
            throw new GraphQlSyntaxException("invalid unicode escape", start);
        }

        _position = end;
        return ((char)unit).ToString();
    }

    // The raw content with \""" unescaped. The indentation rules of BlockStringValue() are not applied: the filter
    // never uses string values, it only needs to know where the string ends.
    private GraphQlToken ReadBlockString()
    {
        var start = _position;
        _position += 3;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _source.Length)
            {
                throw new GraphQlSyntaxException("unterminated block string", start);
            }

            if (string.CompareOrdinal(_source, _position, "\"\"\"", 0, 3) == 0)
            {
                _position += 3;
                return new GraphQlToken(GraphQlTokenKind.StringValue, value.ToString(), start);
            }

            if (string.CompareOrdinal(_source, _position, "\\\"\"\"", 0, 4) == 0)
            {
                value.Append("\"\"\"");
                _position += 4;
                continue;
            }

            var c = _source[_position];
            if (c is not ('\n' or '\r'))
            {
                RefuseControl(c, _position);
            }

            value.Append(c);
            _position++;
        }
    }

    // One string per punctuator rather than one per token.
    private static string Punctuator(char c) => c switch
    {
        '!' => "!",
        '$' => "$",
        '&' => "&",
        '(' => "(",
        ')' => ")",
        ':' => ":",
        '=' => "=",
        '@' => "@",
        '[' => "[",
        ']' => "]",
        '{' => "{",
        '|' => "|",
        _ => "}",
    };

    private char Peek() => _position < _source.Length ? _source[_position] : '\0';

    private static void RefuseControl(char c, int offset)
    {
        if (c < 0x20 && c != '\t')
        {
            throw new GraphQlSyntaxException($"control character U+{(int)c:X4}", offset);
        }
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameContinue(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
