namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>The GraphQL document is not syntactically valid (or is nested deeper than the parser accepts).</summary>
public sealed class GraphQlSyntaxException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphQlSyntaxException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GraphQlSyntaxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GraphQlSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem at <paramref name="offset"/>.</summary>
    public GraphQlSyntaxException(string message, int offset)
        : base($"{message} (at offset {offset})")
    {
        Offset = offset;
    }

    /// <summary>Where in the document the problem was found.</summary>
    public int Offset { get; }
}
