namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>One operation definition of a document.</summary>
/// <param name="Type">Query, mutation or subscription.</param>
/// <param name="Name">The operation name, or null when anonymous.</param>
/// <param name="Selections">The root selection set.</param>
public sealed record GraphQlOperation(GraphQlOperationType Type, string? Name, IReadOnlyList<GraphQlSelection> Selections);
