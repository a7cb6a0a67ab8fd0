using System.Text.Json;
using Airut.Sandbox.Abstractions.Credentials;

namespace Airut.Sandbox.Core.Tests.Aws;

/// <summary>The AWS signing test suite (aws-c-auth <c>tests/aws-signing-test-suite</c>), read from
/// <c>$AWS_SIGNING_TEST_SUITE</c> or <c>&lt;repo root&gt;/../shared/testdata/aws-signing-test-suite</c>.
/// A missing suite throws, so the tests fail rather than skip.</summary>
internal static class AwsSigningSuite
{
    public static string Root { get; } = Locate();

    public static IEnumerable<string> CaseNames(string version)
    {
        var dir = Path.Combine(Root, version);
        var names = Directory.GetDirectories(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (names.Count < 30)
        {
            throw new InvalidOperationException($"The AWS signing test suite at {dir} has only {names.Count} cases.");
        }

        return names;
    }

    public static AwsSuiteCase Load(string version, string name) => new(Path.Combine(Root, version, name));

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AWS_SIGNING_TEST_SUITE");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Directory.Exists(Path.Combine(fromEnv, "v4"))
                ? fromEnv
                : throw new InvalidOperationException($"AWS_SIGNING_TEST_SUITE={fromEnv} does not hold the suite (no v4/).");
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Airut.Sandbox.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Airut.Sandbox.sln not found above the test binaries; set AWS_SIGNING_TEST_SUITE.");
        }

        var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testdata", "aws-signing-test-suite"));
        return Directory.Exists(Path.Combine(path, "v4"))
            ? path
            : throw new InvalidOperationException($"The AWS signing test suite is missing at {path}; set AWS_SIGNING_TEST_SUITE.");
    }
}

/// <summary>One case folder.</summary>
internal sealed class AwsSuiteCase(string directory)
{
    private readonly JsonElement _context = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "context.json"))).RootElement;

    public string Name => Path.GetFileName(directory);

    public string AccessKeyId => _context.GetProperty("credentials").GetProperty("access_key_id").GetString()!;

    public string SecretAccessKey => _context.GetProperty("credentials").GetProperty("secret_access_key").GetString()!;

    public string? Token => _context.GetProperty("credentials").TryGetProperty("token", out var t) ? t.GetString() : null;

    public bool Normalize => _context.GetProperty("normalize").GetBoolean();

    public bool OmitSessionToken => _context.TryGetProperty("omit_session_token", out var o) && o.GetBoolean();

    public bool HasFile(string file) => File.Exists(Path.Combine(directory, file));

    public string Read(string file) => File.ReadAllText(Path.Combine(directory, file));

    public (string X, string Y) PublicKey
    {
        get
        {
            var key = JsonDocument.Parse(Read("public-key.json")).RootElement;
            return (key.GetProperty("X").GetString()!, key.GetProperty("Y").GetString()!);
        }
    }

    public AwsSuiteRequest ReadRequest(string file) => AwsSuiteRequest.Parse(Read(file));
}

/// <summary>An HTTP/1.1 request as the suite writes it: request line, headers (with obs-fold continuation lines), body.</summary>
internal sealed record AwsSuiteRequest(string Method, string Target, List<HeaderField> Headers, string Body)
{
    public static AwsSuiteRequest Parse(string text)
    {
        var lines = text.Split('\n');
        var requestLine = lines[0];
        var firstSpace = requestLine.IndexOf(' ', StringComparison.Ordinal);
        var lastSpace = requestLine.LastIndexOf(' ');
        var headers = new List<HeaderField>();
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            if (lines[i][0] is ' ' or '\t')
            {
                headers[^1] = headers[^1] with { Value = headers[^1].Value + "\n" + lines[i] };
                continue;
            }

            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add(new HeaderField(lines[i][..colon], lines[i][(colon + 1)..]));
        }

        var body = i + 1 < lines.Length ? string.Join('\n', lines[(i + 1)..]) : string.Empty;
        return new AwsSuiteRequest(requestLine[..firstSpace], requestLine[(firstSpace + 1)..lastSpace], headers, body);
    }
}
