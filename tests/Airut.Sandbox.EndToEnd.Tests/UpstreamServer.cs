using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>
/// A TLS upstream for <c>allowed.test</c> in a container on the test's own egress network. It answers
/// <c>match</c> when the request's Authorization header hashes to the expected SHA-256 and <c>nomatch</c>
/// otherwise, so no credential is ever printed. It logs <c>hit PATH</c> for every request, so tests can count what
/// reached it. Its certificate comes from a throw-away test CA.
/// </summary>
internal sealed class UpstreamServer : IAsyncDisposable
{
    public const string HostName = "allowed.test";

    private const string Script = """
        import hashlib, http.server, os, ssl
        expected = os.environ["EXPECTED_SHA256"]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                print("hit " + self.path, flush=True)
                got = hashlib.sha256(self.headers.get("Authorization", "").encode()).hexdigest()
                body = b"match" if got == expected else b"nomatch"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("0.0.0.0", 443), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain("/certs/cert.pem", "/certs/key.pem")
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print("listening", flush=True)
        server.serve_forever()
        """;

    private readonly IContainerRuntime _runtime;
    private readonly string _name;
    private readonly string _certificates;

    private UpstreamServer(IContainerRuntime runtime, string name, string certificates, IPAddress address, string caPem)
    {
        _runtime = runtime;
        _name = name;
        _certificates = certificates;
        Address = address;
        CaCertificatePem = caPem;
    }

    public IPAddress Address { get; }

    public string CaCertificatePem { get; }

    public static async Task<UpstreamServer> StartAsync(IContainerRuntime runtime, string name, string network, string image, string expectedAuthorization)
    {
        var certificates = Directory.CreateTempSubdirectory("airut-e2e-upstream-").FullName;
        var caPem = WriteCertificates(certificates, HostName);
        var expected = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expectedAuthorization)));
        await runtime.CreateContainerAsync(
            new ContainerSpec
            {
                Name = name,
                Image = image,
                Entrypoint = ["python3", "-c", Script],
                Environment = [new("EXPECTED_SHA256", expected)],
                Mounts = [new BindMount(certificates, "/certs", ReadOnly: true)],
                Networks = [new NetworkAttachment(network)],
                DropAllCapabilities = false,
                NoNewPrivileges = true,
            },
            CancellationToken.None);
        await runtime.StartContainerAsync(name, CancellationToken.None);
        for (var i = 0; i < 300 && !(await runtime.GetLogsAsync(name, CancellationToken.None)).Stdout.Contains("listening", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        var info = await runtime.InspectContainerAsync(name, CancellationToken.None) ?? throw new InvalidOperationException("upstream vanished");
        return new UpstreamServer(runtime, name, certificates, info.NetworkAddresses[network], caPem);
    }

    /// <summary>The paths of every request that reached the server so far, in order.</summary>
    public async Task<IReadOnlyList<string>> HitsAsync() =>
        (await _runtime.GetLogsAsync(_name, CancellationToken.None)).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("hit ", StringComparison.Ordinal))
            .Select(l => l[4..])
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await _runtime.RemoveContainerAsync(_name, CancellationToken.None);
        Directory.Delete(_certificates, recursive: true);
    }

    /// <summary>Writes cert.pem and key.pem for <paramref name="names"/>, issued by a throw-away CA; returns the CA's PEM.</summary>
    internal static string WriteCertificates(string directory, params string[] names)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Airut Test Upstream CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=" + names[0], leafKey, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            alternativeNames.AddDnsName(name);
        }

        leafRequest.CertificateExtensions.Add(alternativeNames.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(ca, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(Path.Combine(directory, "cert.pem"), leaf.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), leafKey.ExportPkcs8PrivateKeyPem());
        return ca.ExportCertificatePem();
    }
}
