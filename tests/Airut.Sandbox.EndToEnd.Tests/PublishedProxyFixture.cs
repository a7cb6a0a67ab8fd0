namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>
/// The published, self-contained <c>airut-proxy</c> the proxy image is built from: <c>AIRUT_PROXY_PROGRAM_DIR</c> when
/// set, else the copy eng/AirutProxyBundle.targets put next to the tests at build time.
/// </summary>
public sealed class PublishedProxyFixture
{
    public const string DirectoryVariable = "AIRUT_PROXY_PROGRAM_DIR";

    public PublishedProxyFixture()
    {
        Directory = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } given
            ? given
            : Path.Combine(AppContext.BaseDirectory, "airut-proxy");
        Assert.True(
            File.Exists(Path.Combine(Directory, "airut-proxy")),
            $"no published airut-proxy in {Directory}: build the test project (it bundles the proxy) or set {DirectoryVariable}");
    }

    public string Directory { get; }
}
