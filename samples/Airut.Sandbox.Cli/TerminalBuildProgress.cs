using Airut.Sandbox.Abstractions.Runtime;

namespace Airut.Sandbox.Cli;

/// <summary>Shows image build output on stderr as <c>[build] line</c>; registered only when stderr is a terminal.</summary>
internal sealed class TerminalBuildProgress(TextWriter stderr) : IImageBuildProgress
{
    private readonly Lock _gate = new();

    public void Report(string tag, string line)
    {
        lock (_gate)
        {
            stderr.WriteLine($"[build] {line}");
            stderr.Flush();
        }
    }
}
