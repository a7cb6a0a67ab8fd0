namespace Airut.Sandbox.Abstractions.Credentials;

/// <summary>One header line of a request, as an entry: duplicates stay separate entries (SEC-12).</summary>
public sealed record HeaderField(string Name, string Value);
