using System.Net;
using System.Security.Cryptography;
using System.Text;
using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.EndToEnd.Tests.Clients;

/// <summary>
/// Starts Clients/upstream.py in a container on the test's own egress network: one TLS server for git.test (smart
/// HTTP git), py.test, and the SigV4-verifying s3.scoped.test and unscoped.test. It receives the real credentials
/// in its environment and only ever compares them (hashes, or the signature it recomputes).
/// </summary>
internal sealed class ClientsUpstream : IAsyncDisposable
{
    public static readonly string[] HostNames = ["git.test", "py.test", "s3.scoped.test", "unscoped.test"];

    private readonly IContainerRuntime _runtime;
    private readonly string _name;
    private readonly string _files;

    private ClientsUpstream(IContainerRuntime runtime, string name, string files, IPAddress address, string caPem)
    {
        _runtime = runtime;
        _name = name;
        _files = files;
        Address = address;
        CaCertificatePem = caPem;
    }

    public IPAddress Address { get; }

    public string CaCertificatePem { get; }

    /// <summary>The directory next to the tests holding upstream.py, sigv4.py and check.py.</summary>
    public static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "Clients");

    public static async Task<ClientsUpstream> StartAsync(
        IContainerRuntime runtime, string name, string network, string repositoryContent, ClientCredentials real)
    {
        var files = Directory.CreateTempSubdirectory("airut-e2e-clients-upstream-").FullName;
        try
        {
            var certificates = Directory.CreateDirectory(Path.Combine(files, "certs")).FullName;
            var scripts = Directory.CreateDirectory(Path.Combine(files, "scripts")).FullName;
            var caPem = UpstreamServer.WriteCertificates(certificates, HostNames);
            foreach (var script in new[] { "upstream.py", "sigv4.py" })
            {
                File.Copy(Path.Combine(ScriptDirectory, script), Path.Combine(scripts, script));
            }

            await runtime.CreateContainerAsync(
                new ContainerSpec
                {
                    Name = name,
                    Image = SandboxUnderTest.ClientImage,
                    Entrypoint = ["python3", "/upstream/upstream.py"],
                    Environment =
                    [
                        new("REPO_CONTENT", repositoryContent),
                        new("GIT_AUTH_SHA256", Sha256("Bearer " + real.GitToken)),
                        new("AWS_AKID_SHA256", Sha256(real.AwsAccessKeyId)),
                        new("AWS_SECRET", real.AwsSecretAccessKey),
                        new("AWS_TOKEN_SHA256", Sha256(real.AwsSessionToken)),
                    ],
                    Mounts = [new BindMount(certificates, "/certs", ReadOnly: true), new BindMount(scripts, "/upstream", ReadOnly: true)],
                    Networks = [new NetworkAttachment(network)],
                    DropAllCapabilities = false,
                    NoNewPrivileges = true,
                },
                CancellationToken.None);
            await runtime.StartContainerAsync(name, CancellationToken.None);
            for (var i = 0; i < 1200 && !(await runtime.GetLogsAsync(name, CancellationToken.None)).Stdout.Contains("listening", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
            }

            var logs = await runtime.GetLogsAsync(name, CancellationToken.None);
            Assert.True(logs.Stdout.Contains("listening", StringComparison.Ordinal), "the upstream did not start:\n" + logs.Stderr);
            var info = await runtime.InspectContainerAsync(name, CancellationToken.None) ?? throw new InvalidOperationException("upstream vanished");
            return new ClientsUpstream(runtime, name, files, info.NetworkAddresses[network], caPem);
        }
        catch
        {
            await runtime.RemoveContainerAsync(name, CancellationToken.None);
            Directory.Delete(files, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _runtime.RemoveContainerAsync(_name, CancellationToken.None);
        Directory.Delete(_files, recursive: true);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
