namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>A request-body filter's annotation, logged as <c>[{FilterName}: {Tag}]</c> (LOG-5).</summary>
/// <param name="FilterName">The filter's name.</param>
/// <param name="Tag">What the filter reports; cut to <see cref="AccessAnnotations.MaxTagLength"/> characters.</param>
public sealed record FilterTag(string FilterName, string Tag);
