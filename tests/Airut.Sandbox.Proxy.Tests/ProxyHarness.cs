using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Airut.Sandbox.Abstractions.Proxy;
using Airut.Sandbox.Core.Egress;
using Airut.Sandbox.Core.NetworkLog;
using Airut.Sandbox.Core.Tls;
using Airut.Sandbox.Proxy;
using Airut.Sandbox.Proxy.Configuration;
using Airut.Sandbox.Testing;
using Airut.Sandbox.Testing.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airut.Sandbox.Proxy.Tests;

/// <summary>
/// The proxy in-process on loopback with the fixtures of attacks.md §0.2: recorders standing in for
/// <c>allowed.test</c>, <c>open.test</c>, <c>scoped.test</c> (and <c>*.scoped.test</c>) and <c>evil.test</c>, all
/// reached only through <c>upstream_hosts</c> with <c>upstream_hosts_only</c>, so no name is ever looked up and no
/// byte leaves the machine. Upstream TLS trusts a test CA through <c>upstream_ca_bundle_path</c>.
/// </summary>
public sealed class ProxyHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly NetworkLogWriter _log;
    private readonly StringWriter _stdout;
    private readonly EgressProxy _proxy;
    private readonly List<RecorderServer> _recorders;

    private ProxyHarness(string directory, NetworkLogWriter log, StringWriter stdout, EgressProxy proxy, List<RecorderServer> recorders, RunCertificateAuthority authority)
    {
        _directory = directory;
        _log = log;
        _stdout = stdout;
        _proxy = proxy;
        _recorders = recorders;
        Authority = authority;
    }

    /// <summary>The default allowlist: <c>allowed.test /pub/*</c>, domains <c>open.test</c>, <c>scoped.test</c>, <c>*.scoped.test</c>.</summary>
    public static ProxyAllowlist DefaultAllowlist { get; } = new()
    {
        Domains = ["open.test", "scoped.test", "*.scoped.test"],
        UrlPrefixes = [new ProxyUrlPrefix { Host = "allowed.test", Path = "/pub/*" }],
    };

    /// <summary>The surrogate of masked secret <c>TOK</c> (what the container sees).</summary>
    public const string Surrogate = "tok_SURROGATE_7f3a9c2e5b1d4f60";

    /// <summary>The real value of <c>TOK</c>. Tests compare against it but never print it.</summary>
    public const string Real = "tok_REALVALUE_c0ffee1234567890";

    /// <summary>Masked secret <c>TOK</c>: scoped to <c>scoped.test</c> and <c>*.scoped.test</c>, header <c>Authorization</c>.</summary>
    public static ProxyMaskedSecret Tok(bool allowForeign = false, string header = "Authorization") => new()
    {
        Name = "TOK",
        Surrogate = Surrogate,
        Value = Real,
        Scopes = ["scoped.test", "*.scoped.test"],
        Headers = [header],
        AllowForeignCredentials = allowForeign,
    };

    /// <summary>The proxy's per-run CA (clients trust it).</summary>
    public RunCertificateAuthority Authority { get; }

    /// <summary>Path of the CA PEM (for curl <c>--cacert</c>).</summary>
    public string CaPath => Path.Combine(_directory, "ca.pem");

    /// <summary>The plaintext listener port.</summary>
    public int HttpPort => _proxy.HttpEndpoints[0].Port;

    /// <summary>The TLS listener port.</summary>
    public int HttpsPort => _proxy.HttpsEndpoints[0].Port;

    /// <summary>Upstream for <c>allowed.test</c>; serves <c>/priv/secret</c> as <c>CANARY-PRIV</c>.</summary>
    public RecorderServer Allowed => _recorders[0];

    /// <summary>Upstream for <c>open.test</c>.</summary>
    public RecorderServer Open => _recorders[1];

    /// <summary>Upstream for <c>scoped.test</c> and <c>*.scoped.test</c>.</summary>
    public RecorderServer Scoped => _recorders[2];

    /// <summary>Upstream for <c>evil.test</c> (not allowlisted; any connection is a leak).</summary>
    public RecorderServer Evil => _recorders[3];

    /// <summary>The recorder started for <paramref name="name"/> (one of the four fixtures or an extra recorder name).</summary>
    public RecorderServer Recorder(string name) => _recorders.Single(r => r.Name == name);

    /// <summary>Every recorder.</summary>
    public IReadOnlyList<RecorderServer> Recorders => _recorders;

    /// <summary>What the proxy printed to stdout (loud lines).</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Path of the network log.</summary>
    public string LogPath => Path.Combine(_directory, "network.log");

    /// <summary>Starts recorders and the proxy. Each of <paramref name="extraRecorderNames"/> gets its own recorder,
    /// reached through an <c>upstream_hosts</c> entry for exactly that name.</summary>
    public static async Task<ProxyHarness> StartAsync(
        ProxyAllowlist? allowlist = null,
        IReadOnlyList<ProxyMaskedSecret>? maskedSecrets = null,
        IReadOnlyList<ProxySigningCredential>? signingCredentials = null,
        Func<string, X509Certificate2, X509Certificate2?>? upstreamCertificate = null,
        Func<string, RecordedRequest, RecorderResponse>? respond = null,
        IReadOnlyList<ProxyUpstreamHost>? extraUpstreamHosts = null,
        IReadOnlyList<string>? proxyAddresses = null,
        IReadOnlyList<string>? extraRecorderNames = null,
        ILoggerFactory? loggerFactory = null)
    {
        var directory = Directory.CreateTempSubdirectory("airut-proxy-test-").FullName;
        var recorders = new List<RecorderServer>();
        RunCertificateAuthority? authority = null;
        NetworkLogWriter? log = null;
        try
        {
            using var upstreamCa = TestCertificates.CreateAuthority("Airut test upstream CA");
            var bundlePath = Path.Combine(directory, "upstream-ca.pem");
            await File.WriteAllTextAsync(bundlePath, TestCertificates.ToPem(upstreamCa));
            foreach (var name in new[] { "allowed.test", "open.test", "scoped.test", "evil.test" }.Concat(extraRecorderNames ?? []))
            {
                var certificate = upstreamCertificate is null
                    ? TestCertificates.IssueServer(upstreamCa, name, null, null, "*." + name)
                    : upstreamCertificate(name, upstreamCa);
                recorders.Add(new RecorderServer(name, certificate, request =>
                    respond?.Invoke(name, request) ?? (request.Target.StartsWith("/priv/secret", StringComparison.Ordinal)
                        ? new RecorderResponse(200, "CANARY-PRIV")
                        : RecorderResponse.Ok(name, request.Target))));
            }

            authority = RunCertificateAuthority.Create("Airut proxy test CA");
            authority.WritePemFiles(Path.Combine(directory, "ca.pem"), Path.Combine(directory, "ca.key"));
            var configuration = new ProxyConfiguration
            {
                Listen = new ProxyListeners { Http = ["127.0.0.1:0"], Https = ["127.0.0.1:0"] },
                Allowlist = allowlist ?? DefaultAllowlist,
                MaskedSecrets = maskedSecrets ?? [],
                SigningCredentials = signingCredentials ?? [],
                CaCertificatePath = Path.Combine(directory, "ca.pem"),
                CaKeyPath = Path.Combine(directory, "ca.key"),
                NetworkLogPath = Path.Combine(directory, "network.log"),
                UpstreamHosts =
                [
                    Map("allowed.test", recorders[0]),
                    Map("open.test", recorders[1]),
                    Map("scoped.test", recorders[2]),
                    Map("*.scoped.test", recorders[2]),
                    Map("evil.test", recorders[3]),
                    .. recorders.Skip(4).Select(r => Map(r.Name, r)),
                    .. extraUpstreamHosts ?? [],
                ],
                UpstreamHostsOnly = true,
                UpstreamCaBundlePath = bundlePath,
                ProxyAddresses = proxyAddresses ?? [],
            };

            // The document goes through its JSON form and the reader, exactly as airut-proxy gets it.
            var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(configuration, ProxyConfigurationJsonContext.Default.ProxyConfiguration);
            configuration = ProxyConfigurationReader.Parse(json, "harness.json");
            var stdout = new StringWriter();
            log = new NetworkLogWriter(new NetworkLogWriterOptions { Path = configuration.NetworkLogPath! }, TextWriter.Synchronized(stdout));
            log.Write(NetworkLogLines.TaskStart(DateTimeOffset.UtcNow));
            var policy = new AllowlistEgressPolicy(ProxyConfigurationReader.ToAllowlist(configuration.Allowlist), loggerFactory?.CreateLogger<AllowlistEgressPolicy>());
            var proxy = await EgressProxy.StartAsync(
                configuration,
                policy,
                ProxyCredentialStages.CreateSigner(configuration, loggerFactory ?? NullLoggerFactory.Instance),
                ProxyCredentialStages.CreateMasker(configuration, loggerFactory),
                log,
                loggerFactory ?? NullLoggerFactory.Instance,
                CancellationToken.None);
            return new ProxyHarness(directory, log, stdout, proxy, recorders, authority);
        }
        catch
        {
            foreach (var recorder in recorders)
            {
                await recorder.DisposeAsync();
            }

            log?.Dispose();
            authority?.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>An <c>upstream_hosts</c> entry that sends <paramref name="pattern"/> to a recorder.</summary>
    public static ProxyUpstreamHost Map(string pattern, RecorderServer recorder) =>
        new() { Pattern = pattern, Address = "127.0.0.1", Port = recorder.Port };

    /// <summary>
    /// An HttpClient whose connections for port 443 go to the TLS listener and for port 80 to the plaintext one,
    /// trusting only the per-run CA (the chain is built against it, nothing else).
    /// </summary>
    public HttpClient CreateClient(Version? version = null)
    {
        var ca = X509CertificateLoader.LoadCertificate(Authority.Certificate.RawData);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port == 443 ? HttpsPort : HttpPort, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsToCa(certificate, errors, requireName: true),
            },
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    /// <summary>True when <paramref name="certificate"/> chains to the per-run CA (and matches the name when required).</summary>
    public bool ChainsToCa(X509Certificate? certificate, SslPolicyErrors errors, bool requireName)
    {
        if (certificate is null || (requireName && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(Authority.Certificate.RawData));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>Runs curl against the proxy: every :443 goes to the TLS listener, every :80 to the plaintext one.</summary>
    public Task<ToolResult> CurlAsync(params string[] arguments) =>
        ExternalTool.RunAsync("curl",
        [
            "-sS", "--max-time", "10", "--noproxy", "*", "--cacert", CaPath,
            "--connect-to", $":443:127.0.0.1:{HttpsPort}",
            "--connect-to", $":80:127.0.0.1:{HttpPort}",
            .. arguments,
        ]);

    /// <summary>Sends raw bytes to a listener (TLS with <paramref name="sni"/> when <paramref name="tls"/>) and returns everything read until close or a quiet second.</summary>
    public async Task<string> RawAsync(string request, bool tls = false, string? sni = "allowed.test")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, tls ? HttpsPort : HttpPort);
        Stream stream = client.GetStream();
        if (tls)
        {
            // Without SNI there is no name to check; the chain must still lead to the per-run CA.
            var ssl = new SslStream(stream, false, (_, certificate, _, errors) => ChainsToCa(certificate, errors, requireName: sni is not null));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni ?? string.Empty });
            stream = ssl;
        }

        await using (stream)
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
            await stream.FlushAsync();
            var received = new MemoryStream();
            var buffer = new byte[16384];
            while (true)
            {
                using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                int read;
                try
                {
                    read = await stream.ReadAsync(buffer, quiet.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }

            return Encoding.Latin1.GetString(received.ToArray());
        }
    }

    /// <summary>The status codes of every response in a raw HTTP/1.1 byte stream, in order.</summary>
    public static string[] Statuses(string rawResponses) =>
        [.. System.Text.RegularExpressions.Regex.Matches(rawResponses, @"HTTP/1\.1 (\d{3}) ").Select(m => m.Groups[1].Value)];

    /// <summary>The network log's lines after the start marker, once at least <paramref name="count"/> exist (waits up to 5 s).</summary>
    public async Task<IReadOnlyList<string>> LogLinesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var lines = (await File.ReadAllLinesAsync(LogPath)).Skip(1).ToArray();
            if (lines.Length >= count || DateTime.UtcNow > deadline)
            {
                // Settle: a line beyond the expected count would show up here.
                await Task.Delay(150);
                return (await File.ReadAllLinesAsync(LogPath)).Skip(1).ToArray();
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The whole network log text.</summary>
    public string LogText() => File.ReadAllText(LogPath);

    /// <summary>G6: the proxy still serves the control request <c>GET https://allowed.test/pub/ok</c> → 200. (Its
    /// latency is measured in bench/, not asserted here: tests run in parallel on a shared machine.)</summary>
    public async Task AssertStillServesAsync()
    {
        using var client = CreateClient();
        using var response = await client.GetAsync(new Uri("https://allowed.test/pub/ok"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        foreach (var recorder in _recorders)
        {
            await recorder.DisposeAsync();
        }

        _log.Dispose();
        Authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
