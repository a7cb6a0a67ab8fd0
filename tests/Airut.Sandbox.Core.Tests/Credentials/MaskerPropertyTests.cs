using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Core.Credentials;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Credentials.MaskingFixture;

namespace Airut.Sandbox.Core.Tests.Credentials;

/// <summary>Seeded random requests against the masker; a failure names the seed and case number, never a value.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "MS-16")]
public sealed class MaskerPropertyTests
{
    private const string SecondReal = "second-REAL-value-ZYXWVUT98765";

    private static readonly string[] Names =
        ["Authorization", "authorization", "AUTHORIZATION", "X-Api-Key", "Cookie", "Proxy-Authorization", "User-Agent", "X-Token", "Accept"];

    private static readonly string[] OutOfScopeHosts =
        ["open.test", "evil.test", "scoped.test.evil.test", "xscoped.test", "scoped.tes", "api.other.test", "scoped.test."];

    private static readonly string[] InScopeHosts = ["scoped.test", "SCOPED.test", "a.scoped.test", "a.b.scoped.test"];

    [Fact]
    public void MS_16_random_headers_never_carry_a_real_value_to_an_out_of_scope_host() =>
        Run(cases: 4000, (random, masker, surrogates) =>
        {
            var request = RandomRequest(random, OutOfScopeHosts[random.Next(OutOfScopeHosts.Length)], random.Next(2) == 0 ? "https" : "http", surrogates);
            var before = request.Headers.ToArray();
            var result = masker.Apply(request);
            return !CarriesReal(request, TokReal) && !CarriesReal(request, SecondReal)
                && request.Headers.SequenceEqual(before) && ReferenceEquals(result, MaskingResult.None);
        });

    [Fact]
    public void CRED_07_random_headers_never_carry_a_real_value_over_plaintext_http() =>
        Run(cases: 3000, (random, masker, surrogates) =>
        {
            var request = RandomRequest(random, InScopeHosts[random.Next(InScopeHosts.Length)], "http", surrogates);
            var result = masker.Apply(request);
            return !CarriesReal(request, TokReal) && !CarriesReal(request, SecondReal) && result.Masked == 0;
        });

    [Fact]
    public void MS_21_in_scope_real_values_appear_only_in_configured_headers_and_each_once_per_name() =>
        Run(cases: 3000, (random, masker, surrogates) =>
        {
            var request = RandomRequest(random, InScopeHosts[random.Next(InScopeHosts.Length)], "https", surrogates);
            var result = masker.Apply(request);
            var realHolders = request.Headers
                .Where(h => CarriesReal(new ProxiedRequest { Method = "GET", Scheme = "https", Host = "h", Port = 443, PathAndQuery = "/", Headers = [h] }, TokReal)
                         || h.Value.Contains(SecondReal, StringComparison.Ordinal))
                .ToArray();
            var onlyAuthorizationOrApiKey = realHolders.All(h =>
                string.Equals(h.Name, "Authorization", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(h.Name, "X-Api-Key", StringComparison.OrdinalIgnoreCase));
            var replacedNamesHaveOneEntry = realHolders
                .GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
                .All(g => request.Headers.Count(h => string.Equals(h.Name, g.Key, StringComparison.OrdinalIgnoreCase)) == 1);
            var noProxyAuthorizationInjected = !request.Headers.Any(h =>
                string.Equals(h.Name, "Proxy-Authorization", StringComparison.OrdinalIgnoreCase) &&
                (h.Value.Contains(TokReal, StringComparison.Ordinal) || h.Value.Contains(SecondReal, StringComparison.Ordinal)));
            return onlyAuthorizationOrApiKey && replacedNamesHaveOneEntry && noProxyAuthorizationInjected
                && result.Notes.All(n => !n.Contains(TokReal, StringComparison.Ordinal) && !n.Contains(SecondReal, StringComparison.Ordinal));
        });

    private static void Run(int cases, Func<Random, SurrogateCredentialMasker, string[], bool> property)
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var map = SurrogateReplacementMap.Create(
        [
            Tok(),
            new MaskedSecret("KEY", new SecretValue(SecondReal), ["*.scoped.test"], ["X-Api-Key", "authorization"], false),
        ]);
        var masker = new SurrogateCredentialMasker(map);
        var surrogates = map.Entries.Select(e => e.Surrogate).ToArray();
        for (var n = 0; n < cases; n++)
        {
            Assert.True(property(random, masker, surrogates), $"property failed at case {n}; seed {seed}");
        }
    }

    private static ProxiedRequest RandomRequest(Random random, string host, string scheme, string[] surrogates)
    {
        var count = random.Next(0, 8);
        var headers = new (string, string)[count];
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(5) == 0 ? RandomText(random, 1, 12) : Names[random.Next(Names.Length)];
            headers[i] = (name, RandomValue(random, surrogates));
        }

        return Request(scheme, host, headers);
    }

    private static string RandomValue(Random random, string[] surrogates)
    {
        var surrogate = surrogates[random.Next(surrogates.Length)];
        return random.Next(8) switch
        {
            0 => "Bearer " + surrogate,
            1 => surrogate,
            2 => Basic("x-access-token", surrogate),
            3 => Basic(surrogate, random.Next(2) == 0 ? string.Empty : RandomText(random, 1, 10)),
            4 => RandomText(random, 0, 20) + surrogate + RandomText(random, 0, 5),
            5 => surrogate + " " + surrogates[random.Next(surrogates.Length)],
            6 => Basic(RandomText(random, 0, 6), RandomText(random, 0, 6)),
            _ => RandomText(random, 0, 30),
        };
    }

    private static string RandomText(Random random, int min, int max)
    {
        const string alphabet = "abcXYZ019-_:= ./+";
        return new string(Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }
}
