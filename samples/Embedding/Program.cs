// The smallest program that runs a command in an Airut sandbox through dependency injection.
// Usage: dotnet run --project samples/Embedding -- [WORKSPACE]
// The workspace needs .airut/container/Dockerfile. AIRUT_PROXY_PROGRAM_DIR points at a published airut-proxy
// (dotnet publish src/Airut.Sandbox.Proxy.Program -r linux-x64 --self-contained -o DIR).
using Airut.Sandbox;
using Airut.Sandbox.Abstractions.Running;
using Airut.Sandbox.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var services = new ServiceCollection();
services.AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));
services.AddAirutSandbox(options =>
{
    if (Environment.GetEnvironmentVariable("AIRUT_PROXY_PROGRAM_DIR") is { Length: > 0 } proxy)
    {
        options.ProxyProgramDirectory = proxy;
    }
}).UseAvailableRuntime();

await using var provider = services.BuildServiceProvider();
var runner = provider.GetRequiredService<ISandboxRunner>();
var workspace = Path.GetFullPath(args.Length > 0 ? args[0] : Environment.CurrentDirectory);
var result = await runner.RunAsync(
    new SandboxRunRequest { Command = ["echo", "hello"], WorkspaceDirectory = workspace },
    new ConsoleOutput(),
    CancellationToken.None);
return result.ExitCode;

/// <summary>Writes the sandboxed command's output to this process's stdout and stderr.</summary>
internal sealed class ConsoleOutput : ISandboxOutput
{
    public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken) => new(Console.Out.WriteLineAsync(line));

    public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken) => new(Console.Error.WriteLineAsync(line));

    public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken) => new(Console.Error.WriteLineAsync("[net] " + line));
}
