namespace Airut.Sandbox.Abstractions.Configuration;

/// <summary>
/// Read access to the host's environment variables, for <c>!env NAME</c> (CFG-10) and <c>pass_env</c>
/// (CFG-18). Injected so tests never touch the process environment.
/// </summary>
public interface IEnvironmentVariableSource
{
    /// <summary>The value of <paramref name="name"/>, <c>""</c> when set to the empty string, or null when unset.</summary>
    string? GetVariable(string name);
}
