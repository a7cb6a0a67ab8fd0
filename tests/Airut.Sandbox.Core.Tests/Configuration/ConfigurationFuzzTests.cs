using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;
using Airut.Sandbox.Testing.Fuzzing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>
/// Issue 8, attacks.md CFG-03: thousands of mutated sandbox.yaml and network-allowlist.yaml files, read through the
/// real loaders from disk. Each ends in a configuration or in a <see cref="SandboxConfigurationException"/> that names
/// the file, line, column and (below the document level) the key; never another exception, never a hang, and never a
/// real secret in a message. <c>AIRUT_FUZZ_SEED</c> and <c>AIRUT_FUZZ_ITERATIONS</c> override the defaults; a failure
/// prints the seed and the mutations, never the document;
/// <c>AIRUT_FUZZ_KEEP=DIR</c> copies every refused document there for a closer look.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ConfigurationFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultSeed = 20261122;
    private const int DefaultIterations = 2500;

    /// <summary>A document that does not finish in this long is a hang: generous, so a loaded machine never trips it.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Errors that may carry no key: about the document as a whole, or about the root node and the root mapping's own
    /// keys (an anchor, tag or alias there, or a key that is not a plain name), which have no key path above them.
    /// </summary>
    private static readonly string[] ErrorsWithoutKeyPath =
    [
        "Invalid YAML in ", "Invalid allowlist YAML: ", "must be a YAML mapping", "more than one YAML document", "encoded; save it as UTF-8",
        "not valid UTF-8", "NUL", "larger than", "nested deeper than", "the document", "a mapping key", "YAML anchors", "YAML tag", "alias",
    ];

    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    [Trait("Spec", "CFG-03")]
    public async Task CFG_03_mutated_sandbox_yaml_loads_or_fails_closed_with_file_line_and_key_and_never_leaks_a_secret()
    {
        var secrets = Secrets.Create(Seed);
        var environment = new FakeEnvironment(new Dictionary<string, string>
        {
            ["FUZZ_HOST_SECRET"] = secrets.HostSecret,
            ["FUZZ_AWS_KEY_ID"] = secrets.AwsKeyId,
            ["FUZZ_AWS_SECRET"] = secrets.AwsSecret,
            ["HOME"] = "/home/fuzz",
        });
        WriteCaBundle(_dir.File("ca.pem"));
        var loader = new SandboxConfigurationLoader(environment, NullLogger<SandboxConfigurationLoader>.Instance);

        await FuzzAsync(
            SandboxDocument(secrets), "sandbox", secrets, path => loader.LoadAsync(path, _dir.Path, explicitlyNamed: true, CancellationToken.None));
    }

    [Fact]
    [Trait("Spec", "CFG-03")]
    public async Task CFG_03_AL_13_mutated_network_allowlist_yaml_loads_or_fails_closed_with_file_line_and_key()
    {
        var loader = new AllowlistLoader(NullLogger<AllowlistLoader>.Instance);

        await FuzzAsync(AllowlistDocument, "allowlist", Secrets.Create(Seed), path => loader.LoadAsync(path, explicitlyNamed: true, CancellationToken.None));
    }

    [Fact]
    [Trait("Spec", "CFG-03")]
    public void CFG_03_found_by_fuzzing_an_unclosed_flow_mapping_before_a_multi_line_plain_scalar_is_a_syntax_error_with_a_location()
    {
        // YamlDotNet's scanner throws InvalidOperationException here, not YamlException; the loader used to let it escape.
        var error = ConfigurationFixture.AllowlistError("url_prefixes:\n  - host: {registry.test\n    path: /v2/*\n    methods: [GET]\n");

        Assert.Equal(
            "Invalid allowlist YAML: the YAML cannot be read from here on (look for an unclosed '[', '{' or quote, or a malformed %TAG directive)",
            error.Detail);
        Assert.Equal(ConfigurationFixture.AllowlistFile, error.Location?.File);
        Assert.InRange(error.Location!.Line, 2, 4);
    }

    [Theory]
    [Trait("Spec", "CFG-03")]
    [InlineData("%TAG ! tag:evil.test,2024:\n---\ndomains: !env[ x\n")]
    public void CFG_03_found_by_fuzzing_a_tag_that_a_TAG_directive_turns_into_an_invalid_uri_is_a_syntax_error_with_a_location(string yaml)
    {
        var error = ConfigurationFixture.AllowlistError(yaml);

        Assert.Equal(
            "Invalid allowlist YAML: the YAML cannot be read from here on (look for an unclosed '[', '{' or quote, or a malformed %TAG directive)",
            error.Detail);
        Assert.Equal(ConfigurationFixture.AllowlistFile, error.Location?.File);
    }

    [Theory]
    [Trait("Spec", "CFG-11")]
    [InlineData("ghp_Q7mZk2LwX9aB4nR8tY1uV6cD3eF5gH0jK2pS", 40)]
    [InlineData("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 40)]
    public async Task CFG_11_found_by_fuzzing_a_credential_pasted_after_env_is_not_echoed_in_the_unset_error(string pasted, int length)
    {
        var error = await ConfigurationFixture.SandboxErrorAsync($"masked_secrets:\n  T:\n    value: !env {pasted}\n    scopes: [a.test]\n    headers: [A]\n");

        Assert.DoesNotContain(pasted, error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"the {length}-character name is not shown", error.Detail, StringComparison.Ordinal);
        Assert.Equal("masked_secrets.T.value", error.Key);
    }

    [Theory]
    [Trait("Spec", "CFG-11")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("http_proxy")]
    [InlineData("AWS_SECRET_ACCESS_KEY_2")]
    public async Task CFG_11_an_ordinary_variable_name_is_still_named_in_the_unset_error(string name)
    {
        var error = await ConfigurationFixture.SandboxErrorAsync($"env:\n  A: !env {name}\n");

        Assert.Equal($"environment variable '{name}' is not set", error.Detail);
    }

    [Fact]
    public void The_mutator_is_deterministic_per_seed_and_varies_across_seeds()
    {
        var a = ConfigDocumentMutator.Mutate(AllowlistDocument, 7);
        var b = ConfigDocumentMutator.Mutate(AllowlistDocument, 7);
        Assert.Equal(a.Bytes, b.Bytes);
        Assert.Equal(a.Applied, b.Applied);

        var distinct = Enumerable.Range(0, 200).Select(i => Convert.ToHexString(SHA256.HashData(ConfigDocumentMutator.Mutate(AllowlistDocument, i).Bytes))).Distinct().Count();
        Assert.True(distinct > 150, $"only {distinct} distinct documents from 200 seeds");
    }

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("AIRUT_FUZZ_SEED"), out var seed) ? seed : DefaultSeed;

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("AIRUT_FUZZ_ITERATIONS"), out var iterations) ? iterations : DefaultIterations;

    private async Task FuzzAsync<T>(string baseDocument, string name, Secrets secrets, Func<string, Task<T>> load)
    {
        // The unmutated document must load, or every mutation would trivially "fail closed".
        var basePath = _dir.Write(name + "-base.yaml", baseDocument);
        await load(basePath);

        var stopwatch = Stopwatch.StartNew();
        var loaded = 0;
        var refused = 0;
        var mutationCounts = new Dictionary<string, int>();
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var seed = ConfigDocumentMutator.SeedFor(Seed, iteration);
            var mutation = ConfigDocumentMutator.Mutate(baseDocument, seed);
            foreach (var applied in mutation.Applied)
            {
                mutationCounts[applied.Split('-')[0]] = mutationCounts.GetValueOrDefault(applied.Split('-')[0]) + 1;
            }

            var path = _dir.WriteBytes($"{name}.yaml", mutation.Bytes);
            var where = $"{name} AIRUT_FUZZ_SEED={Seed} iteration {iteration} (document seed {seed}; mutations {string.Join(", ", mutation.Applied)})";
            Exception? error = null;
            var run = Task.Run(() => load(path));
            try
            {
                await run.WaitAsync(HangLimit);
                loaded++;
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{where}: still loading after {HangLimit.TotalSeconds} s");
            }
            catch (Exception ex)
            {
                error = ex;
            }

            if (error is null)
            {
                continue;
            }

            refused++;
            var text = secrets.Redact(error.ToString());
            if (Environment.GetEnvironmentVariable("AIRUT_FUZZ_KEEP") is { Length: > 0 } keep)
            {
                File.Copy(path, Path.Combine(keep, $"{name}-{iteration}.yaml"), overwrite: true);
            }

            if (error is not SandboxConfigurationException configurationError)
            {
                Assert.Fail($"{where}: {error.GetType().FullName} instead of SandboxConfigurationException: {text}");
                return;
            }

            AssertNamesFileLineAndKey(configurationError, path, where, text);
            Assert.True(!secrets.AnyIn(error.ToString()), $"{where}: the error holds a secret value: {text}");
        }

        output.WriteLine($"{name}: {Iterations} documents (seed {Seed}) in {stopwatch.Elapsed.TotalSeconds:F1} s: {loaded} loaded, {refused} refused");
        output.WriteLine("mutations applied: " + string.Join(", ", mutationCounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));

        // A mutator that breaks everything, or nothing, tests little: both outcomes must be common.
        Assert.InRange(loaded, Iterations / 20, Iterations - (Iterations / 4));
    }

    private static void AssertNamesFileLineAndKey(SandboxConfigurationException error, string path, string where, string text)
    {
        Assert.True(error.Location is not null, $"{where}: no location: {text}");
        Assert.True(error.Location.File == path, $"{where}: location names {error.Location.File}: {text}");
        Assert.True(error.Location.Line >= 1 && error.Location.Column >= 1, $"{where}: location {error.Location}: {text}");
        Assert.True(error.Message.StartsWith(error.Location + ": ", StringComparison.Ordinal), $"{where}: message does not start with file:line:column: {text}");
        Assert.True(
            error.Key is not null || ErrorsWithoutKeyPath.Any(d => error.Detail.Contains(d, StringComparison.Ordinal)),
            $"{where}: no key for an error below the document level: {text}");
    }

    private static string SandboxDocument(Secrets secrets) => $"""
        env:
          CI: "true"
          BUILD_TOKEN: !env FUZZ_HOST_SECRET
        pass_env:
          - HOME
          - LANG
        masked_secrets:
          GH_TOKEN:
            value: "{secrets.InlineSecret}"
            scopes: ["api.github.test", "*.github.test"]
            headers: ["Authorization"]
            allow_foreign_credentials: false
        signing_credentials:
          aws:
            type: aws-sigv4
            access_key_id: !env FUZZ_AWS_KEY_ID
            secret_access_key: !env FUZZ_AWS_SECRET
            session_token: "{secrets.InlineToken}"
            scopes: ["*.amazonaws.test"]
        network_sandbox: true
        resource_limits:
          timeout: 600
          memory: 2g
          cpus: 1.5
          pids_limit: 256
        egress_network: airut-fuzz-egress
        upstream_hosts:
          api.github.test: 127.0.0.1
        upstream_hosts_only: false
        upstream_ca_bundle: ca.pem

        """;

    private const string AllowlistDocument = """
        domains:
          - api.github.test
          - "*.pkg.test"
          - registry.npm.test
        url_prefixes:
          - host: registry.test
            path: /v2/*
            methods: [GET, HEAD]
          - host: api.graph.test
            path: /graphql
            methods: [POST]
            graphql:
              queries: [viewer]
              mutations: [createIssue]
          - host: "*.files.test"
            path: ""

        """;

    private static void WriteCaBundle(string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Airut Fuzz CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(path, ca.ExportCertificatePem());
    }

    /// <summary>The test's "real" secrets: derived from the seed, so a seed reproduces the exact documents.</summary>
    private sealed record Secrets(string InlineSecret, string InlineToken, string HostSecret, string AwsKeyId, string AwsSecret)
    {
        private const int Window = 10;

        private IEnumerable<string> All => [InlineSecret, InlineToken, HostSecret, AwsKeyId, AwsSecret];

        public static Secrets Create(int seed)
        {
            var random = new Random(seed);
            string Text(string prefix, int length, string alphabet) =>
                prefix + new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            return new Secrets(
                Text("ghp_", 36, Alnum),
                Text("FwoGZX", 120, Alnum),
                Text("host_", 32, Alnum),
                Text("AKIA", 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                Text(string.Empty, 40, Alnum + "+/"));
        }

        /// <summary>Whether any <see cref="Window"/>-character piece of any secret appears: catches partial echoes too.</summary>
        public bool AnyIn(string text) => All.Any(s => Pieces(s).Any(p => text.Contains(p, StringComparison.Ordinal)));

        public string Redact(string text)
        {
            foreach (var piece in All.SelectMany(Pieces))
            {
                text = text.Replace(piece, "***", StringComparison.Ordinal);
            }

            return text;
        }

        private static IEnumerable<string> Pieces(string secret) =>
            Enumerable.Range(0, secret.Length - Window + 1).Select(i => secret.Substring(i, Window));
    }
}
