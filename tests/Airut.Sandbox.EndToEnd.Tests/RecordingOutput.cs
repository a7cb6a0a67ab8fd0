using Airut.Sandbox.Abstractions.Running;

namespace Airut.Sandbox.EndToEnd.Tests;

/// <summary>Collects a run's output lines, in order, for assertions.</summary>
internal sealed class RecordingOutput : ISandboxOutput
{
    public List<string> Stdout { get; } = [];

    public List<string> Stderr { get; } = [];

    public List<string> NetworkLog { get; } = [];

    public Action<string>? OnStdout { get; set; }

    public ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken)
    {
        lock (Stdout)
        {
            Stdout.Add(line);
        }

        OnStdout?.Invoke(line);
        return ValueTask.CompletedTask;
    }

    public ValueTask StderrLineAsync(string line, CancellationToken cancellationToken)
    {
        lock (Stderr)
        {
            Stderr.Add(line);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken)
    {
        lock (NetworkLog)
        {
            NetworkLog.Add(line);
        }

        return ValueTask.CompletedTask;
    }
}
