namespace Airut.Sandbox.Testing.Recording;

/// <summary>What the recorder answers to a request.</summary>
/// <param name="Status">Status code.</param>
/// <param name="Body">Body text (UTF-8).</param>
/// <param name="Headers">Extra header lines.</param>
/// <param name="SwitchProtocols">Answer 101 and then record (and echo back) raw bytes: a minimal WebSocket peer.</param>
public sealed record RecorderResponse(int Status, string Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null, bool SwitchProtocols = false)
{
    /// <summary>The default answer: 200 with a body naming the recorder and the target.</summary>
    public static RecorderResponse Ok(string recorderName, string target) => new(200, $"ok from {recorderName} {target}");
}
