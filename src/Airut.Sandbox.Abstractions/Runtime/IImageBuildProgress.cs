namespace Airut.Sandbox.Abstractions.Runtime;

/// <summary>
/// Receives an image build's output as it happens, to show progress to a person (a terminal). Register one to see
/// builds; without one, builds are silent and only their failures are reported.
/// </summary>
public interface IImageBuildProgress
{
    /// <summary>One line of build output for the image being built as <paramref name="tag"/>.</summary>
    void Report(string tag, string line);
}
