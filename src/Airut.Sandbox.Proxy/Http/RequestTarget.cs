namespace Airut.Sandbox.Proxy.Http;

/// <summary>
/// The request target split per PX-4: origin-form (<c>/p?q</c>) or absolute-form (<c>http://h:port/p?q</c>).
/// For absolute-form the URL's authority is the routing host and <see cref="PathAndQuery"/> the raw part after it.
/// </summary>
/// <param name="PathAndQuery">The raw, undecoded path with its query, as it goes upstream (origin-form).</param>
/// <param name="AbsoluteAuthority">The authority of an absolute-form target (userinfo removed), else null.</param>
public sealed record RequestTarget(string PathAndQuery, RequestAuthority? AbsoluteAuthority)
{
    /// <summary>Splits a raw target; null when it is neither origin-form nor a well-formed http(s) absolute URL.</summary>
    public static RequestTarget? Parse(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        if (rawTarget.StartsWith('/'))
        {
            return new RequestTarget(rawTarget, null);
        }

        var schemeEnd = rawTarget.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }

        var scheme = rawTarget[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = rawTarget.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = rawTarget.Length;
        }

        var authorityText = rawTarget[authorityStart..authorityEnd];

        // RFC 9112 §3.2.2: the userinfo is not part of the authority the request is for (HS-02 judges
        // http://allowed.test@evil.test/ as evil.test).
        var at = authorityText.LastIndexOf('@');
        if (at >= 0)
        {
            authorityText = authorityText[(at + 1)..];
        }

        var authority = RequestAuthority.Parse(authorityText);
        if (authority is null)
        {
            return null;
        }

        var rest = rawTarget[authorityEnd..];
        var path = rest.Length == 0 ? "/" : rest[0] == '/' ? rest : "/" + rest;
        return new RequestTarget(path, authority);
    }
}
