using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Credentials;
using Airut.Sandbox.Core.Credentials;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Credentials.MaskingFixture;

namespace Airut.Sandbox.Core.Tests.Credentials;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SurrogateCredentialMaskerTests
{
    [Fact]
    public void MS_19_empty_map_is_a_no_op_and_strips_nothing()
    {
        var request = Request("scoped.test", ("Authorization", "Bearer ATTACKER"));
        Assert.Same(MaskingResult.None, new SurrogateCredentialMasker(SurrogateReplacementMap.Empty).Apply(request));
        AssertHeader(request, "Authorization", "Bearer ATTACKER");
    }

    [Fact]
    public void MS_21_MS_22_surrogate_is_replaced_in_the_configured_header()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", "Bearer " + surrogate), ("Accept", "*/*"));
        var result = masker.Apply(request);
        Assert.Equal(1, result.Masked);
        Assert.Equal(0, result.Dropped);
        AssertHeader(request, "Authorization", "Bearer " + TokReal);
        AssertHeader(request, "Accept", "*/*");
    }

    [Theory]
    [InlineData("SCOPED.TEST")]
    [InlineData("api.scoped.test")]
    [InlineData("a.b.Scoped.Test")]
    public void MS_15_scope_matches_case_insensitively_and_across_labels(string host)
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request(host, ("Authorization", "Bearer " + surrogate));
        Assert.Equal(1, masker.Apply(request).Masked);
    }

    [Theory]
    [InlineData("open.test")]
    [InlineData("xscoped.test")]
    [InlineData("scoped.test.evil.test")]
    public void MS_16_CRED_01_out_of_scope_host_gets_the_surrogate_unchanged_and_no_stripping(string host)
    {
        var (masker, surrogate) = Masker(Tok());
        var basic = Basic("x-access-token", surrogate);
        var request = Request(host, ("Authorization", "Bearer " + surrogate), ("Authorization", basic), ("Authorization", "Bearer ATTACKER"));
        Assert.Same(MaskingResult.None, masker.Apply(request));
        AssertHeader(request, "Authorization", "Bearer " + surrogate, basic, "Bearer ATTACKER");
    }

    [Fact]
    public void MS_15_scope_without_star_or_question_mark_is_exact_even_with_brackets()
    {
        var (masker, surrogate) = Masker(new MaskedSecret("T", new SecretValue(TokReal), ["api[1].test"], ["Authorization"], false));
        Assert.Same(MaskingResult.None, masker.Apply(Request("api1.test", ("Authorization", surrogate))));
        Assert.Equal(1, masker.Apply(Request("api[1].test", ("Authorization", surrogate))).Masked);
    }

    [Theory]
    [InlineData("authorization")]
    [InlineData("AUTHORIZATION")]
    public void MS_17_header_names_match_case_insensitively(string name)
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test", (name, "Bearer " + surrogate));
        Assert.Equal(1, masker.Apply(request).Masked);
        AssertHeader(request, name, "Bearer " + TokReal);
    }

    [Theory]
    [InlineData("*", "X-Whatever")]
    [InlineData("X-*", "x-api-key")]
    [InlineData("x-api-?ey", "X-Api-Key")]
    public void MS_17_glob_header_patterns_scan_matching_headers(string pattern, string header)
    {
        var (masker, surrogate) = Masker(Tok([pattern]));
        var request = Request("scoped.test", (header, surrogate));
        Assert.Equal(1, masker.Apply(request).Masked);
        AssertHeader(request, header, TokReal);
    }

    [Fact]
    public void MS_22_every_occurrence_is_replaced_and_matching_is_case_sensitive()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", surrogate + " " + surrogate));
        masker.Apply(request);
        AssertHeader(request, "Authorization", TokReal + " " + TokReal);

        var upper = Request("scoped.test", ("Authorization", "Bearer " + surrogate.ToUpperInvariant()));
        masker.Apply(upper);
        Assert.False(CarriesReal(upper, TokReal));
    }

    [Fact]
    public void MS_23_one_header_replaced_by_two_entries_counts_twice()
    {
        var map = SurrogateReplacementMap.Create([Tok(name: "A"), Tok(name: "B", real: "second-REAL-value-9876543210")]);
        var masker = new SurrogateCredentialMasker(map);
        var request = Request("scoped.test", ("Authorization", map.Entries[0].Surrogate + ":" + map.Entries[1].Surrogate));
        Assert.Equal(2, masker.Apply(request).Masked);
        AssertHeader(request, "Authorization", TokReal + ":second-REAL-value-9876543210");
    }

    [Fact]
    public void MS_24_basic_auth_password_surrogate_is_replaced()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", Basic("x-access-token", surrogate)));
        Assert.Equal(1, masker.Apply(request).Masked);
        AssertHeader(request, "Authorization", Basic("x-access-token", TokReal));
    }

    [Fact]
    public void MS_24_basic_auth_username_surrogate_with_empty_password_is_replaced()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", Basic(surrogate, string.Empty)));
        Assert.Equal(1, masker.Apply(request).Masked);
        AssertHeader(request, "Authorization", Basic(TokReal, string.Empty));
    }

    [Theory]
    [InlineData("Basic !!!notbase64")]
    [InlineData("basic ")]
    [InlineData("Basic  ")]
    [InlineData("Basic //79")]
    public void MS_24_undecodable_basic_auth_counts_as_not_found_and_is_stripped(string value)
    {
        var (masker, _) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", value));
        Assert.Equal(1, masker.Apply(request).Dropped);
        Assert.Empty(Values(request, "Authorization"));
    }

    [Fact]
    public void MS_24_basic_decoding_only_applies_to_authorization()
    {
        var (masker, surrogate) = Masker(Tok(["X-Auth"]));
        var basic = Basic("user", surrogate);
        var request = Request("scoped.test", ("X-Auth", basic));
        masker.Apply(request);
        Assert.False(CarriesReal(request, TokReal));
    }

    [Theory]
    [InlineData(true, "ATTACKER_PAT")]
    [InlineData(true, "x-oauth-basic")]
    [InlineData(false, "prefix-{S}")]
    [InlineData(false, "{S}-suffix")]
    public void CRED_05_surrogate_mixed_with_foreign_material_in_basic_auth_is_not_replaced_and_is_stripped(bool surrogateIsUser, string other)
    {
        var (masker, surrogate) = Masker(Tok());
        var value = surrogateIsUser ? Basic(surrogate, other) : Basic("user", other.Replace("{S}", surrogate, StringComparison.Ordinal));
        var request = Request("scoped.test", ("Authorization", value));
        var result = masker.Apply(request);
        Assert.Equal(0, result.Masked);
        Assert.Equal(1, result.Dropped);
        Assert.Empty(Values(request, "Authorization"));
        Assert.Contains(result.Notes, n => n.StartsWith("REFUSED composite Basic credential in header 'authorization'", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Notes, n => n.Contains(TokReal, StringComparison.Ordinal));
    }

    [Fact]
    public void CRED_05_with_foreign_credentials_allowed_the_composite_passes_with_the_surrogate_only()
    {
        var (masker, surrogate) = Masker(Tok(allowForeign: true));
        var value = Basic(surrogate, "ATTACKER_PAT");
        var request = Request("scoped.test", ("Authorization", value));
        masker.Apply(request);
        AssertHeader(request, "Authorization", value);
        Assert.False(CarriesReal(request, TokReal));
    }

    [Fact]
    public void CRED_05_real_value_with_a_colon_is_never_put_in_the_username()
    {
        var (masker, surrogate) = Masker(Tok(real: "user:with-colon-secret"));
        var request = Request("scoped.test", ("Authorization", Basic(surrogate, string.Empty)));
        masker.Apply(request);
        Assert.False(CarriesReal(request, "user:with-colon-secret"));
    }

    [Theory]
    [Trait("Spec", "SEC-03")]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MS_21_SEC_20_surrogate_is_found_in_any_duplicate_and_duplicates_collapse(int position)
    {
        var (masker, surrogate) = Masker(Tok());
        var values = new[] { "Bearer ATTACKER1", "Bearer ATTACKER2", "Bearer ATTACKER3" };
        values[position] = "Bearer " + surrogate;
        var request = Request("scoped.test", [("Authorization", values[0]), ("X-Other", "1"), ("authorization", values[1]), ("Authorization", values[2])]);
        var result = masker.Apply(request);
        Assert.Equal(1, result.Masked);
        Assert.Equal(2, result.Collapsed);
        AssertHeader(request, "Authorization", "Bearer " + TokReal);
        Assert.Equal(
            "COLLAPSED 2 duplicate 'authorization' headers in GET https://scoped.test/x (duplicate credential headers removed)",
            Assert.Single(result.Notes));
    }

    [Fact]
    public void MS_25_non_credential_duplicates_are_kept()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", surrogate), ("Accept", "a"), ("Accept", "b"));
        masker.Apply(request);
        AssertHeader(request, "Accept", "a", "b");
    }

    [Fact]
    public void MS_26_MS_27_CRED_04_foreign_credential_is_stripped_with_all_duplicates_counted_once()
    {
        var (masker, _) = Masker(Tok());
        var request = Request("scoped.test",
            ("Authorization", "Bearer ATTACKER_KEY"), ("Authorization", "token ATTACKER_PAT"), ("Authorization", Basic("x", "ATTACKER_PAT")), ("Accept", "*/*"));
        var result = masker.Apply(request);
        Assert.Equal(1, result.Dropped);
        Assert.Empty(Values(request, "Authorization"));
        AssertHeader(request, "Accept", "*/*");
        Assert.Equal(
            "STRIPPED header 'authorization' from GET https://scoped.test/x (foreign credential blocked)",
            Assert.Single(result.Notes));
    }

    [Fact]
    public void MS_26_CRED_04_allow_foreign_credentials_keeps_the_foreign_header()
    {
        var (masker, _) = Masker(Tok(allowForeign: true));
        var request = Request("scoped.test", ("Authorization", "Bearer ATTACKER_KEY"));
        Assert.Same(MaskingResult.None, masker.Apply(request));
        AssertHeader(request, "Authorization", "Bearer ATTACKER_KEY");
    }

    [Fact]
    public void MS_26_SEC_19_header_replaced_by_one_credential_is_not_stripped_by_another()
    {
        var other = new MaskedSecret("OTHER", new SecretValue("other-REAL-value-0123456789"), ["scoped.test"], ["Authorization"], false);
        var map = SurrogateReplacementMap.Create([other, Tok()]);
        var request = Request("scoped.test", ("Authorization", "Bearer " + map.Entries[1].Surrogate));
        var result = new SurrogateCredentialMasker(map).Apply(request);
        Assert.Equal(1, result.Masked);
        Assert.Equal(0, result.Dropped);
        AssertHeader(request, "Authorization", "Bearer " + TokReal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("X-*")]
    [InlineData("Authoriz?tion")]
    [InlineData("[A]uthorization")]
    public void MS_18_SEC_19_glob_or_bracket_patterns_never_strip(string pattern)
    {
        var (masker, _) = Masker(Tok([pattern, "X-Unused"]));
        var request = Request("scoped.test", ("Authorization", "Bearer ATTACKER"), ("X-Api-Key", "ATTACKER"));
        Assert.Equal(0, masker.Apply(request).Dropped);
        AssertHeader(request, "Authorization", "Bearer ATTACKER");
    }

    [Fact]
    public void MS_26_mixed_exact_and_glob_patterns_strip_the_exact_match_only()
    {
        var (masker, _) = Masker(Tok(["Authorization", "X-*"]));
        var request = Request("scoped.test", ("Authorization", "Bearer ATTACKER"), ("X-Api-Key", "ATTACKER"));
        Assert.Equal(1, masker.Apply(request).Dropped);
        Assert.Empty(Values(request, "Authorization"));
        AssertHeader(request, "X-Api-Key", "ATTACKER");
    }

    [Fact]
    public void MS_29_body_path_and_query_are_never_touched()
    {
        var (masker, surrogate) = Masker(Tok(["*"]));
        var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"t\":\"" + surrogate + "\"}"));
        var request = Request("scoped.test", ("Authorization", surrogate));
        request.PathAndQuery = "/echo/" + surrogate + "?key=" + surrogate;
        request.Body = body;
        masker.Apply(request);
        Assert.Equal("/echo/" + surrogate + "?key=" + surrogate, request.PathAndQuery);
        Assert.Same(body, request.Body);
        Assert.Equal("{\"t\":\"" + surrogate + "\"}", System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public void CRED_02_surrogate_outside_the_configured_headers_is_never_replaced()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test",
            ("X-Echo", surrogate),
            ("Cookie", "s=" + surrogate),
            ("User-Agent", surrogate),
            ("X-Token", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(surrogate))),
            ("Authorization", "Bearer " + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(surrogate))),
            ("Authorization", "Bearer " + surrogate.ToUpperInvariant()));
        masker.Apply(request);
        Assert.False(CarriesReal(request, TokReal));
        AssertHeader(request, "Cookie", "s=" + surrogate);
    }

    [Fact]
    public void CRED_02_star_header_pattern_widens_replacement_to_every_header()
    {
        var (masker, surrogate) = Masker(Tok(["*"]));
        var request = Request("scoped.test", ("Cookie", "s=" + surrogate), ("X-Echo", surrogate));
        Assert.Equal(2, masker.Apply(request).Masked);
        AssertHeader(request, "Cookie", "s=" + TokReal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("Proxy-Authorization")]
    public void CRED_06_proxy_authorization_is_never_replaced(string pattern)
    {
        var (masker, surrogate) = Masker(Tok([pattern]));
        var request = Request("scoped.test", ("Proxy-Authorization", "Bearer " + surrogate));
        masker.Apply(request);
        AssertHeader(request, "Proxy-Authorization", "Bearer " + surrogate);
    }

    [Fact]
    public void CRED_06_unconfigured_credential_carriers_pass_unchanged_residual()
    {
        var (masker, _) = Masker(Tok());
        var request = Request("scoped.test", ("X-Api-Key", "ATTACKER"), ("X_Api_Key", "ATTACKER"), ("Cookie", "session=ATTACKER"));
        Assert.Same(MaskingResult.None, masker.Apply(request));
        Assert.Equal(3, request.Headers.Count);
    }

    [Fact]
    public void CRED_07_no_injection_over_plaintext_http_and_the_surrogate_stays()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("http", "scoped.test", ("Authorization", "Bearer " + surrogate), ("Authorization", "Bearer ATTACKER"));
        var result = masker.Apply(request);
        Assert.Equal(0, result.Masked);
        Assert.False(CarriesReal(request, TokReal));
        Assert.Contains("Bearer " + surrogate, Values(request, "Authorization"));
        Assert.Equal(
            "WITHHELD credential for header 'authorization' in GET http://scoped.test/x (plaintext http upstream; surrogate left in place)",
            Assert.Single(result.Notes));
    }

    [Fact]
    public void CRED_07_basic_auth_over_plaintext_is_not_injected_either()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("http", "scoped.test", ("Authorization", Basic("x-access-token", surrogate)));
        masker.Apply(request);
        Assert.False(CarriesReal(request, TokReal));
    }

    [Fact]
    public void CRED_07_foreign_credentials_are_still_stripped_over_plaintext()
    {
        var (masker, _) = Masker(Tok());
        var request = Request("http", "scoped.test", ("Authorization", "Bearer ATTACKER"));
        Assert.Equal(1, masker.Apply(request).Dropped);
        Assert.Empty(Values(request, "Authorization"));
    }

    [Fact]
    public void SEC_02_with_no_secret_in_scope_foreign_authorization_reaches_the_host_unchanged()
    {
        var (masker, _) = Masker(Tok());
        var request = Request("open.test", ("Authorization", "Bearer ATTACKER"));
        Assert.Same(MaskingResult.None, masker.Apply(request));
        AssertHeader(request, "Authorization", "Bearer ATTACKER");
    }

    [Theory]
    [Trait("Spec", "SEC-03")]
    [InlineData("Bearer {S}|Bearer ATTACKER")]
    [InlineData("Bearer ATTACKER|Bearer {S}")]
    [InlineData("Bearer {S}|Bearer {S}|Bearer ATTACKER")]
    public void SMUG_03_SEC_12_duplicate_credential_headers_leave_exactly_one_replaced_entry(string joined)
    {
        var values = joined.Split('|');
        var (masker, surrogate) = Masker(Tok());
        var names = new[] { "Authorization", "authorization", "AUTHORIZATION" };
        var request = Request("scoped.test", values.Select((v, i) => (names[i], v.Replace("{S}", surrogate, StringComparison.Ordinal))).ToArray());
        var result = masker.Apply(request);
        Assert.Equal(1, result.Masked);
        Assert.Equal(values.Length - 1, result.Collapsed);
        AssertHeader(request, "Authorization", "Bearer " + TokReal);
        Assert.Contains(result.Notes, n => n.StartsWith($"COLLAPSED {values.Length - 1} duplicate 'authorization' headers in GET https://scoped.test/x", StringComparison.Ordinal));
    }

    [Fact]
    public void SMUG_03_e_duplicates_without_the_surrogate_are_all_stripped()
    {
        var (masker, _) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", "Bearer A"), ("authorization", "Bearer B"));
        var result = masker.Apply(request);
        Assert.Equal(1, result.Dropped);
        Assert.Empty(Values(request, "Authorization"));
        Assert.StartsWith("STRIPPED header 'authorization'", Assert.Single(result.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void MS_32_notes_name_a_non_default_port_and_never_hold_the_real_value()
    {
        var (masker, surrogate) = Masker(Tok());
        var request = Request("scoped.test", ("Authorization", surrogate), ("Authorization", "x"));
        request = request with { Port = 8443 };
        var result = masker.Apply(request);
        Assert.Contains("GET https://scoped.test:8443/x", Assert.Single(result.Notes), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Notes, n => n.Contains(TokReal, StringComparison.Ordinal));
    }
}
