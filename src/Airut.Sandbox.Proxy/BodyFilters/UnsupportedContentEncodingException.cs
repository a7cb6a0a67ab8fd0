namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>
/// The body carries a <c>Content-Encoding</c> the pipeline does not decode. Filters judge the bytes upstream will
/// read, so an encoded body is one they cannot judge; the request is refused (OPT-6: fail closed).
/// </summary>
public sealed class UnsupportedContentEncodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedContentEncodingException()
        : base("The request body has a Content-Encoding that body filters cannot inspect.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UnsupportedContentEncodingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UnsupportedContentEncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
