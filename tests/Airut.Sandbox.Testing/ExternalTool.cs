using System.Diagnostics;

namespace Airut.Sandbox.Testing;

/// <summary>Output of a finished external tool.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a real client (<c>curl</c>, <c>openssl</c>) with a time limit; the process is killed on timeout.</summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="fileName"/> with arguments (no shell), feeding <paramref name="stdin"/> when given.</summary>
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, limit.Token);
                await process.StandardInput.BaseStream.FlushAsync(limit.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token);
            return new ToolResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in time");
        }
    }
}
