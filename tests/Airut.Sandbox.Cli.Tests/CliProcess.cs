using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Cli.Tests;

/// <summary>Runs the built <c>airut-sandbox</c> program (from the CLI project's own output, where airut-proxy is bundled).</summary>
internal static class CliProcess
{
    public static string OutputDirectory { get; } = Find();

    public static string Program => Path.Combine(OutputDirectory, "airut-sandbox");

    public static Task<ExternalCommand.Result> RunAsync(string workingDirectory, params string[] arguments) =>
        ExternalCommand.RunAsync(Program, arguments, TimeSpan.FromMinutes(10), workingDirectory, new Dictionary<string, string?>
        {
            ["AIRUT_PROXY_BASE_IMAGE"] = "localhost/airut/debian:bookworm",
        });

    private static string Find()
    {
        // tests/Airut.Sandbox.Cli.Tests/bin/<Configuration>/net10.0/ -> samples/Airut.Sandbox.Cli/bin/<Configuration>/net10.0/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = testOutput.Parent!.Name;
        return Path.Combine(RepositoryRoot.Path, "samples", "Airut.Sandbox.Cli", "bin", configuration, testOutput.Name);
    }
}
