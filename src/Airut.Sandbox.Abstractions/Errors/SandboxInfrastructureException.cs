namespace Airut.Sandbox.Abstractions.Errors;

/// <summary>
/// The sandbox could not be set up or kept up (runtime unreachable, image build failed, proxy not ready).
/// The command did not run, or its result cannot be trusted. The CLI maps it to exit 125.
/// </summary>
public sealed class SandboxInfrastructureException : Exception
{
    /// <summary>Creates the error.</summary>
    public SandboxInfrastructureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public SandboxInfrastructureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
