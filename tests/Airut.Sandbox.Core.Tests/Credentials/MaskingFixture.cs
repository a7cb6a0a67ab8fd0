using System.Text;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.Credentials;

namespace Airut.Sandbox.Core.Tests.Credentials;

/// <summary>The attacks.md fixture: <c>TOK</c> scoped to <c>scoped.test</c> and <c>*.scoped.test</c> on
/// <c>Authorization</c>. Assertions compare values without printing them.</summary>
internal static class MaskingFixture
{
    public const string TokReal = "tok-REAL-value-0123456789abcdef";

    public static MaskedSecret Tok(
        IReadOnlyList<string>? headers = null, bool allowForeign = false, string real = TokReal, string name = "TOK") =>
        new(name, new SecretValue(real), ["scoped.test", "*.scoped.test"], headers ?? ["Authorization"], allowForeign);

    public static (SurrogateCredentialMasker Masker, string Surrogate) Masker(MaskedSecret secret)
    {
        var map = SurrogateReplacementMap.Create([secret]);
        return (new SurrogateCredentialMasker(map), map.Entries[0].Surrogate);
    }

    public static ProxiedRequest Request(string host, params (string Name, string Value)[] headers) =>
        Request("https", host, headers);

    public static ProxiedRequest Request(string scheme, string host, params (string Name, string Value)[] headers) => new()
    {
        Method = "GET",
        Scheme = scheme,
        Host = host,
        Port = scheme == "https" ? 443 : 80,
        PathAndQuery = "/x",
        Headers = headers.Select(h => new HeaderField(h.Name, h.Value)).ToList(),
    };

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    public static string[] Values(ProxiedRequest request, string name) =>
        request.Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();

    /// <summary>Asserts the header has exactly these entries, without printing values on failure.</summary>
    public static void AssertHeader(ProxiedRequest request, string name, params string[] expected) =>
        Assert.True(
            Values(request, name).SequenceEqual(expected, StringComparer.Ordinal),
            $"header '{name}' does not hold the expected {expected.Length} entr(ies); it has {Values(request, name).Length}");

    /// <summary>True when the real value is anywhere in the request's headers, directly or inside Basic auth.</summary>
    public static bool CarriesReal(ProxiedRequest request, string real) =>
        request.Headers.Any(h =>
            h.Value.Contains(real, StringComparison.Ordinal) ||
            (BasicAuthorization.TryDecode(h.Value, out var user, out var password) &&
             (user + ":" + password).Contains(real, StringComparison.Ordinal)));
}
