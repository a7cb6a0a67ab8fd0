using System.Reflection;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>
/// The published, self-contained <c>airut-proxy</c> the proxy image is built from: taken from
/// <c>AIRUT_PROXY_PROGRAM_DIR</c> when set (CI publishes once), else published into a temp directory for this run.
/// </summary>
public sealed class PublishedProxyFixture : IAsyncLifetime
{
    public const string DirectoryVariable = "AIRUT_PROXY_PROGRAM_DIR";

    private string? _temporary;

    public string Directory { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } given)
        {
            Directory = given;
            return;
        }

        var root = typeof(PublishedProxyFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        _temporary = System.IO.Directory.CreateTempSubdirectory("airut-e2e-proxy-").FullName;
        var result = await ExternalCommand.RunAsync(
            "dotnet",
            ["publish", Path.Combine(root, "src", "Airut.Sandbox.Proxy.Program"), "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", _temporary, "-nologo"],
            TimeSpan.FromMinutes(15));
        Assert.True(result.ExitCode == 0, "publishing airut-proxy failed:\n" + result.Stdout + result.Stderr);
        Directory = _temporary;
    }

    public Task DisposeAsync()
    {
        if (_temporary is not null)
        {
            System.IO.Directory.Delete(_temporary, recursive: true);
        }

        return Task.CompletedTask;
    }
}
