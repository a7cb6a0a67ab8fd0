namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>One entry of a selection set: a field, a named fragment spread or an inline fragment.</summary>
public abstract record GraphQlSelection;

/// <summary>A field. <paramref name="Name"/> is what the server resolves; <paramref name="Alias"/> only renames the result.</summary>
/// <param name="Alias">The alias, or null.</param>
/// <param name="Name">The field name.</param>
/// <param name="Selections">The field's own selection set (empty for a leaf).</param>
public sealed record GraphQlField(string? Alias, string Name, IReadOnlyList<GraphQlSelection> Selections) : GraphQlSelection;

/// <summary>A named fragment spread, <c>...Name</c>.</summary>
/// <param name="Name">The fragment name.</param>
public sealed record GraphQlFragmentSpread(string Name) : GraphQlSelection;

/// <summary>An inline fragment, <c>... on Type { ... }</c> or <c>... @dir { ... }</c>.</summary>
/// <param name="TypeCondition">The type after <c>on</c>, or null.</param>
/// <param name="Selections">The fragment's selection set.</param>
public sealed record GraphQlInlineFragment(string? TypeCondition, IReadOnlyList<GraphQlSelection> Selections) : GraphQlSelection;
