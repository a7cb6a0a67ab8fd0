namespace Airut.Sandbox.Proxy.BodyFilters.GraphQl;

/// <summary>The three GraphQL operation types; each has its own pattern list in the <c>graphql</c> block (AL-8).</summary>
public enum GraphQlOperationType
{
    /// <summary><c>query</c> (also the anonymous shorthand <c>{ ... }</c>); patterns in <c>queries</c>.</summary>
    Query,

    /// <summary><c>mutation</c>; patterns in <c>mutations</c>.</summary>
    Mutation,

    /// <summary><c>subscription</c>; patterns in <c>subscriptions</c>.</summary>
    Subscription,
}
