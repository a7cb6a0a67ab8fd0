using System.Text;
using Airut.Sandbox.Abstractions.Credentials;

namespace Airut.Sandbox.Core.Aws;

/// <summary>Builds the SigV4/SigV4A canonical request and its parts (credentials-cli.md §3.4).</summary>
public static class AwsCanonicalRequest
{
    /// <summary>The canonical request:
    /// <c>METHOD\nURI\nQUERY\nname:value\n…\n\nsigned;headers\npayloadHash</c>.</summary>
    /// <param name="method">The method token, as sent.</param>
    /// <param name="canonicalUri">From <see cref="CanonicalUri"/>.</param>
    /// <param name="canonicalQuery">From <see cref="CanonicalQuery"/>.</param>
    /// <param name="signedHeaders">Lower-case names, sorted.</param>
    /// <param name="headers">The header entries to take values from (wire order, duplicates kept).</param>
    /// <param name="payloadHash">Hex SHA-256 of the body, or a literal such as <c>UNSIGNED-PAYLOAD</c>.</param>
    public static string Build(
        string method,
        string canonicalUri,
        string canonicalQuery,
        IReadOnlyList<string> signedHeaders,
        IReadOnlyList<HeaderField> headers,
        string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(signedHeaders);
        ArgumentNullException.ThrowIfNull(headers);
        var builder = new StringBuilder(256);
        builder.Append(method).Append('\n').Append(canonicalUri).Append('\n').Append(canonicalQuery).Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':').Append(CanonicalHeaderValue(headers, name)).Append('\n');
        }

        builder.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>The value of one signed header: every entry with that name in wire order, each trimmed with
    /// inner whitespace runs collapsed to one space, joined by <c>,</c> (AWS order, not sorted: SIG-22 [DEV], KAT-5).
    /// A missing header gives the empty string (SIG-35).</summary>
    public static string CanonicalHeaderValue(IReadOnlyList<HeaderField> headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var builder = new StringBuilder();
        var first = true;
        foreach (var header in headers)
        {
            if (!header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            AppendCollapsed(builder, header.Value);
        }

        return builder.ToString();
    }

    /// <summary>The canonical URI of a raw (wire) path; an empty path is <c>/</c>.</summary>
    public static string CanonicalUri(string rawPath, AwsPathCanonicalization mode)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        if (rawPath.Length == 0)
        {
            return "/";
        }

        return mode switch
        {
            AwsPathCanonicalization.Normalized => AwsUriEncoding.Encode(RemoveDotSegments(rawPath), keepSlash: true),
            AwsPathCanonicalization.Unnormalized => AwsUriEncoding.Encode(rawPath, keepSlash: true),
            _ => string.Join('/', rawPath.Split('/').Select(segment =>
                AwsUriEncoding.Encode(AwsUriEncoding.Decode(segment, plusIsSpace: false), keepSlash: false))),
        };
    }

    /// <summary>The canonical query of a raw query (without <c>?</c>): pairs split on <c>&amp;</c>, a bare name gets
    /// an empty value, names and values decoded (<c>+</c> is a space) and re-encoded, sorted by name then value.
    /// <paramref name="excludeSignature"/> leaves out <c>X-Amz-Signature</c> (presigned URLs).</summary>
    public static string CanonicalQuery(string rawQuery, bool excludeSignature)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        var pairs = new List<(string Name, string Value)>();
        foreach (var (name, value) in ParseQuery(rawQuery))
        {
            if (excludeSignature && name == AwsQueryParameters.Signature)
            {
                continue;
            }

            pairs.Add((AwsUriEncoding.Encode(name, keepSlash: false), AwsUriEncoding.Encode(value, keepSlash: false)));
        }

        pairs.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>Decoded name/value pairs of a raw query in wire order; empty pieces are skipped.</summary>
    public static IEnumerable<(string Name, string Value)> ParseQuery(string rawQuery)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        foreach (var piece in rawQuery.Split('&'))
        {
            if (piece.Length == 0)
            {
                continue;
            }

            var eq = piece.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? piece : piece[..eq];
            var value = eq < 0 ? string.Empty : piece[(eq + 1)..];
            yield return (AwsUriEncoding.Decode(name, plusIsSpace: true), AwsUriEncoding.Decode(value, plusIsSpace: true));
        }
    }

    // RFC 3986 dot-segment removal as the SDKs do it: empty and "." segments go, ".." pops, and a trailing "/"
    // stays when at least one segment is left (SIG-32 [DEV]).
    private static string RemoveDotSegments(string path)
    {
        var output = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            output.Add(segment);
        }

        var trailing = path.EndsWith('/') && output.Count > 0 ? "/" : string.Empty;
        return "/" + string.Join('/', output) + trailing;
    }

    private static void AppendCollapsed(StringBuilder builder, string value)
    {
        var pendingSpace = false;
        var wroteAny = false;
        foreach (var c in value)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = wroteAny;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            wroteAny = true;
        }
    }
}
