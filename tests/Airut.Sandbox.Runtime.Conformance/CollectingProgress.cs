namespace Airut.Sandbox.Runtime.Conformance;

/// <summary>Records progress reports synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
public sealed class CollectingProgress : IProgress<string>
{
    private readonly List<string> _lines = [];

    /// <summary>The reports so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <inheritdoc />
    public void Report(string value)
    {
        lock (_lines)
        {
            _lines.Add(value);
        }
    }
}
