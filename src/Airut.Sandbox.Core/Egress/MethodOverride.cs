using Airut.Sandbox.Abstractions.Credentials;

namespace Airut.Sandbox.Core.Egress;

/// <summary>Finds method-override carriers (METH-02): headers and the <c>_method</c> query parameter that make
/// many server frameworks treat a GET as a DELETE. Only names are inspected, never values.</summary>
public static class MethodOverride
{
    /// <summary>Header names, compared case-insensitively, that override the method.</summary>
    public static IReadOnlyList<string> HeaderNames { get; } =
        ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"];

    /// <summary>Returns the name of the first override carrier, or null when there is none.</summary>
    public static string? Find(IReadOnlyList<HeaderField>? headers, RequestPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (headers is not null)
        {
            foreach (var header in headers)
            {
                foreach (var name in HeaderNames)
                {
                    if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return name;
                    }
                }
            }
        }

        return HasMethodParameter(path.RawQuery) ? "_method" : null;
    }

    private static bool HasMethodParameter(ReadOnlySpan<char> query)
    {
        foreach (var range in query.SplitAny('&', ';'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            if (name.Contains('%'))
            {
                name = PercentDecoding.DecodeOnce(name.ToString());
            }

            if (name.Equals("_method", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
