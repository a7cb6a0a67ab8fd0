namespace Airut.Sandbox.Abstractions.Running;

/// <summary>Runs one command in a sandbox and returns its result.</summary>
public interface ISandboxRunner
{
    /// <summary>
    /// Runs the command. Configuration errors throw <see cref="Errors.SandboxConfigurationException"/>
    /// before anything starts; infrastructure failures throw <see cref="Errors.SandboxInfrastructureException"/>.
    /// Every resource the run created is removed before this returns or throws.
    /// </summary>
    Task<SandboxRunResult> RunAsync(SandboxRunRequest request, ISandboxOutput output, CancellationToken cancellationToken);
}

/// <summary>Receives the command's output line by line, and the network log when followed live.</summary>
public interface ISandboxOutput
{
    /// <summary>One line of the command's stdout (without the newline; long lines are split).</summary>
    ValueTask StdoutLineAsync(string line, CancellationToken cancellationToken);

    /// <summary>One line of the command's stderr.</summary>
    ValueTask StderrLineAsync(string line, CancellationToken cancellationToken);

    /// <summary>One network log line, when the request asked to follow the log.</summary>
    ValueTask NetworkLogLineAsync(string line, CancellationToken cancellationToken);
}
