namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>A parsed executable GraphQL document: its operations and the names of its fragment definitions.</summary>
/// <param name="Operations">The operation definitions, in document order.</param>
/// <param name="FragmentNames">The names of the fragment definitions, in document order.</param>
public sealed record GraphQlDocument(IReadOnlyList<GraphQlOperation> Operations, IReadOnlyList<string> FragmentNames);
