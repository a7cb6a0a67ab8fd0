using Airut.Sandbox.Abstractions.Configuration;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>A host environment made of a dictionary, so no test touches the process environment.</summary>
internal sealed class FakeEnvironment(IReadOnlyDictionary<string, string>? variables = null) : IEnvironmentVariableSource
{
    private readonly IReadOnlyDictionary<string, string> _variables = variables ?? new Dictionary<string, string>();

    public List<string> Lookups { get; } = [];

    public string? GetVariable(string name)
    {
        Lookups.Add(name);
        return _variables.TryGetValue(name, out var value) ? value : null;
    }
}
