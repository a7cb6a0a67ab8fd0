using System.Net;
using System.Text;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.NetworkLog;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class NetworkLogLinesTests
{
    private static readonly NetworkLogUrl PullsUrl =
        NetworkLogUrl.Create(isTls: true, "api.github.com", 443, "/repos/o/r/pulls?state=open");

    private static List<ReadOnlyMemory<byte>> Labels(params string[] labels) =>
        labels.Select(l => (ReadOnlyMemory<byte>)Encoding.Latin1.GetBytes(l)).ToList();

    [Fact]
    [Trait("Spec", "LOG-3")]
    public void LOG_3_start_marker_is_utc_to_whole_seconds_and_file_only()
    {
        var line = NetworkLogLines.TaskStart(new DateTimeOffset(2026, 3, 4, 7, 8, 9, 987, TimeSpan.FromHours(2)));

        Assert.Equal("=== TASK START 2026-03-04T05:08:09Z ===", line.Text);
        Assert.False(line.Loud);
    }

    [Fact]
    [Trait("Spec", "LOG-5")]
    [Trait("Spec", "LOG-6")]
    public void LOG_5_allowed_access_line_without_annotations_is_file_only()
    {
        var line = NetworkLogLines.Access(NetworkLogVerdict.Allowed, "GET", PullsUrl, 200);

        Assert.Equal("ALLOWED GET https://api.github.com/repos/o/r/pulls?state=open -> 200", line.Text);
        Assert.False(line.Loud);
    }

    [Fact]
    [Trait("Spec", "SEC-39")]
    public void SEC_39_blocked_access_line_is_loud_and_may_carry_tags()
    {
        var url = NetworkLogUrl.Create(isTls: true, "api.github.com", 443, "/graphql");
        var line = NetworkLogLines.Access(
            NetworkLogVerdict.Blocked, "POST", url, 403, new AccessAnnotations { CredentialInfo = "github-app: R_kgDORHpB6A" });

        Assert.Equal("BLOCKED POST https://api.github.com/graphql -> 403 [github-app: R_kgDORHpB6A]", line.Text);
        Assert.True(line.Loud);
    }

    [Fact]
    [Trait("Spec", "LOG-5")]
    public void LOG_5_missing_status_is_a_question_mark()
    {
        var line = NetworkLogLines.Access(NetworkLogVerdict.Allowed, "GET", PullsUrl, null);

        Assert.EndsWith(" -> ?", line.Text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-5")]
    public void LOG_5_annotations_come_in_the_fixed_order()
    {
        var annotations = new AccessAnnotations
        {
            Region = "us-east-1",
            Dropped = 2,
            Masked = 3,
            CredentialInfo = "github-app: cached, graphql-scoped",
            FilterTags = [new FilterTag("graphql", "op=viewer"), new FilterTag("size", "ok")],
        };

        var line = NetworkLogLines.Access(NetworkLogVerdict.Allowed, "POST", PullsUrl, 201, annotations);

        Assert.Equal(
            "ALLOWED POST https://api.github.com/repos/o/r/pulls?state=open -> 201 [graphql: op=viewer] [size: ok] "
            + "[github-app: cached, graphql-scoped] [masked: 3] [dropped: 2] [region: us-east-1]",
            line.Text);
    }

    [Fact]
    [Trait("Spec", "LOG-5")]
    public void LOG_5_zero_counts_and_empty_region_add_no_tags()
    {
        var line = NetworkLogLines.Access(
            NetworkLogVerdict.Allowed, "GET", PullsUrl, 200, new AccessAnnotations { Masked = 0, Dropped = 0, Region = "" });

        Assert.EndsWith("-> 200", line.Text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    public void LOG_15_filter_tag_is_cut_to_1000_characters_with_suffix()
    {
        var tag = new string('a', 1500);
        var line = NetworkLogLines.Access(
            NetworkLogVerdict.Allowed, "POST", PullsUrl, 200, new AccessAnnotations { FilterTags = [new FilterTag("f", tag)] });

        Assert.EndsWith($" [f: {new string('a', 1000)}… (truncated)]", line.Text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    public void LOG_15_tag_text_cannot_break_the_line_or_fake_another_tag()
    {
        var line = NetworkLogLines.Access(
            NetworkLogVerdict.Allowed, "POST", PullsUrl, 200,
            new AccessAnnotations { FilterTags = [new FilterTag("graphql", "x] [dropped: 9]\nBLOCKED GET http://a.test/ -> 403")] });

        Assert.DoesNotContain('\n', line.Text);
        Assert.DoesNotContain("[dropped: 9]", line.Text, StringComparison.Ordinal);
        Assert.EndsWith(@"[graphql: x\x5d \x5bdropped: 9\x5d\x0aBLOCKED GET http://a.test/ -> 403]", line.Text, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Spec", "LOG-6")]
    [InlineData(true, "example.test", 443, "/", "https://example.test/")]
    [InlineData(true, "example.test", 8443, "/x", "https://example.test:8443/x")]
    [InlineData(false, "example.test", 80, "/a%2Fb?q=%20x", "http://example.test/a%2Fb?q=%20x")]
    [InlineData(false, "example.test", 443, "/", "http://example.test:443/")]
    [InlineData(true, "::1", 443, "/v6", "https://[::1]/v6")]
    [InlineData(true, "[2001:db8::1]", 444, "/v6", "https://[2001:db8::1]:444/v6")]
    [InlineData(true, "Api.Example.TEST", 443, "/../x/./y", "https://Api.Example.TEST/../x/./y")]
    public void LOG_6_url_is_scheme_host_nondefault_port_and_raw_path(bool tls, string host, int port, string target, string expected)
    {
        Assert.Equal(expected, NetworkLogUrl.Create(tls, host, port, target).Text);
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    public void LOG_15_control_characters_space_and_backslash_in_request_fields_are_escaped()
    {
        var url = NetworkLogUrl.Create(isTls: false, "evil.test", 80, "/a\r\nBLOCKED GET http://x/ -> 403\\ \u00e9\u0085");
        var line = NetworkLogLines.Access(NetworkLogVerdict.Allowed, "G\nET", url, 200);

        Assert.Equal(
            @"ALLOWED G\x0aET http://evil.test/a\x0d\x0aBLOCKED\x20GET\x20http://x/\x20->\x20403\x5c\x20\xc3\xa9\xc2\x85 -> 200",
            line.Text);
    }

    [Theory]
    [Trait("Spec", "SEC-13")]
    [InlineData("/b/k?X-Amz-Credential=AKIAREAL%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z",
        "/b/k?X-Amz-Credential=REDACTED&X-Amz-Date=20260101T000000Z")]
    [InlineData("/b/k?x-amz-security-token=REALTOKEN&X-Amz-Signature=abcdef0123&list-type=2",
        "/b/k?x-amz-security-token=REDACTED&X-Amz-Signature=REDACTED&list-type=2")]
    [InlineData("/b/k?X-Amz-%53ignature=abcdef0123", "/b/k?X-Amz-%53ignature=REDACTED")]
    [InlineData("/b/k?X-Amz-Signature", "/b/k?X-Amz-Signature=REDACTED")]
    [InlineData("/b/X-Amz-Signature=keep-in-path?a=1", "/b/X-Amz-Signature=keep-in-path?a=1")]
    public void SEC_13_aws_presigned_credentials_are_redacted_in_logged_urls(string target, string expected)
    {
        var url = NetworkLogUrl.Create(isTls: true, "bucket.s3.amazonaws.com", 443, target);

        Assert.Equal("https://bucket.s3.amazonaws.com" + expected, url.Text);
        Assert.DoesNotContain("REALTOKEN", url.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAREAL", url.Text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "SEC-13")]
    public void SEC_13_a_query_holding_a_lone_surrogate_is_still_redacted()
    {
        var url = NetworkLogUrl.Create(isTls: true, "s3.test", 443, "/k?%41\ud800x=1&X-Amz-Signature=REALSIG");

        Assert.StartsWith("https://s3.test/k?", url.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("REALSIG", url.Text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-7")]
    public void LOG_7_connect_line_is_loud()
    {
        var line = NetworkLogLines.ConnectBlocked("example.test", 443);

        Assert.Equal("BLOCKED CONNECT example.test:443 -> 403 (tunneling not allowed)", line.Text);
        Assert.True(line.Loud);
    }

    [Fact]
    [Trait("Spec", "LOG-8")]
    public void LOG_8_host_mismatch_line_names_both_hosts()
    {
        var url = NetworkLogUrl.Create(isTls: true, "allowed.test", 443, "/x");
        var line = NetworkLogLines.HostMismatch("GET", url, "allowed.test", "other.test");

        Assert.Equal("BLOCKED GET https://allowed.test/x -> 403 (host mismatch: header=allowed.test, url=other.test)", line.Text);
        Assert.True(line.Loud);
    }

    [Theory]
    [Trait("Spec", "LOG-9")]
    [InlineData("connection refused", "connection refused")]
    [InlineData(null, "unknown error")]
    [InlineData("", "unknown error")]
    [InlineData("bad\nthing", @"bad\x0athing")]
    public void LOG_9_error_line_is_loud_and_one_line(string? message, string expected)
    {
        var line = NetworkLogLines.Error("GET", PullsUrl, message);

        Assert.Equal($"ERROR GET https://api.github.com/repos/o/r/pulls?state=open -> {expected}", line.Text);
        Assert.True(line.Loud);
    }

    [Fact]
    [Trait("Spec", "LOG-10")]
    public void LOG_10_stripped_line_lowercases_the_header_name()
    {
        var line = NetworkLogLines.Stripped("X-Api-Key", "GET", PullsUrl);

        Assert.Equal(
            "STRIPPED header 'x-api-key' from GET https://api.github.com/repos/o/r/pulls?state=open (foreign credential blocked)",
            line.Text);
        Assert.True(line.Loud);
    }

    [Fact]
    [Trait("Spec", "LOG-11")]
    public void LOG_11_collapsed_line_counts_duplicates()
    {
        var line = NetworkLogLines.Collapsed(2, "Authorization", "POST", PullsUrl);

        Assert.Equal(
            "COLLAPSED 2 duplicate 'authorization' headers in POST https://api.github.com/repos/o/r/pulls?state=open (duplicate credential headers removed)",
            line.Text);
        Assert.True(line.Loud);
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    public void LOG_15_header_names_are_escaped()
    {
        var line = NetworkLogLines.Stripped("X-Evil\r\nBLOCKED", "GET", PullsUrl);

        Assert.StartsWith(@"STRIPPED header 'x-evil\x0d\x0ablocked' from", line.Text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "LOG-12")]
    public void LOG_12_clock_skew_warning_has_the_fixed_form()
    {
        var line = NetworkLogLines.ClockSkew("20260101T000000Z", new DateTimeOffset(2026, 1, 1, 0, 20, 5, TimeSpan.Zero), 20);

        Assert.Equal(
            "WARNING: Container clock skew detected: x-amz-date=20260101T000000Z, proxy-time=20260101T002005Z (drift=20m). Upstream rejection likely.",
            line.Text);
        Assert.True(line.Loud);
    }

    [Fact]
    [Trait("Spec", "LOG-12")]
    public void LOG_12_feature_warnings_are_loud_and_debug_lines_are_file_only()
    {
        var failure = NetworkLogLines.DescribeFailure(new InvalidOperationException(new string('m', 300)));
        var warning = NetworkLogLines.Warning("Deferred AWS signing could not read the request body: " + failure);
        var debug = NetworkLogLines.Debug("re-sign: host=s3.test");

        Assert.Equal($"Deferred AWS signing could not read the request body: InvalidOperationException: {new string('m', 200)}", warning.Text);
        Assert.True(warning.Loud);
        Assert.Equal("re-sign: host=s3.test", debug.Text);
        Assert.False(debug.Loud);
    }

    [Fact]
    [Trait("Spec", "RES-06")]
    public void RES_06_size_cap_line_is_a_loud_warning()
    {
        var line = NetworkLogLines.SizeCapReached();

        Assert.Equal("WARNING: network log size cap reached", line.Text);
        Assert.True(line.Loud);
    }

    [Fact]
    [Trait("Spec", "DNS-7")]
    public void DNS_7_a_line_keeps_query_case_and_is_file_only()
    {
        var line = NetworkLogLines.DnsAnswer(Labels("Api", "GitHub", "com"), IPAddress.Parse("10.199.1.100"));

        Assert.Equal("DNS A Api.GitHub.com -> 10.199.1.100", line.Text);
        Assert.False(line.Loud);
    }

    [Fact]
    [Trait("Spec", "DNS-7")]
    public void DNS_7_root_name_leaves_two_spaces()
    {
        Assert.Equal("DNS A  -> 10.0.0.1", NetworkLogLines.DnsAnswer(Labels(), IPAddress.Parse("10.0.0.1")).Text);
        Assert.Equal("DNS NS  -> NOTIMP", NetworkLogLines.DnsNotImplemented(2, Labels()).Text);
    }

    [Theory]
    [Trait("Spec", "DNS-7")]
    [InlineData(1, "A")]
    [InlineData(2, "NS")]
    [InlineData(5, "CNAME")]
    [InlineData(15, "MX")]
    [InlineData(16, "TXT")]
    [InlineData(28, "AAAA")]
    [InlineData(33, "SRV")]
    [InlineData(255, "ANY")]
    [InlineData(65, "TYPE65")]
    [InlineData(10, "TYPE10")]
    public void DNS_7_query_types_are_named_from_the_table(int code, string name)
    {
        Assert.Equal(name, NetworkLogLines.DnsTypeName((ushort)code));
        Assert.Equal($"DNS {name} x.test -> NOTIMP", NetworkLogLines.DnsNotImplemented((ushort)code, Labels("x", "test")).Text);
    }

    [Fact]
    [Trait("Spec", "DNS-9")]
    [Trait("Spec", "SEC-21")]
    public void DNS_9_names_with_newlines_spaces_dots_backslashes_and_high_bytes_are_escaped()
    {
        var labels = Labels("a\nBLOCKED GET http", "b.c", "d\\e", "\u00ff\u0000", "x");

        var line = NetworkLogLines.DnsAnswer(labels, IPAddress.Parse("10.0.0.1"));

        Assert.Equal(@"DNS A a\x0aBLOCKED\x20GET\x20http.b\x2ec.d\x5ce.\xff\x00.x -> 10.0.0.1", line.Text);
    }

    [Fact]
    [Trait("Spec", "LOG-15")]
    public void LOG_15_escaping_free_text_is_idempotent()
    {
        var once = NetworkLogEscaping.EscapeText("a\nb\u2028c\u0085d");

        Assert.Equal(@"a\x0ab\u2028c\x85d", once);
        Assert.Equal(once, NetworkLogEscaping.EscapeText(once));
    }
}
