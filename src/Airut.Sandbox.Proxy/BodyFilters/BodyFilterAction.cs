namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>What the pipeline does with a request after one filter ran.</summary>
public enum BodyFilterAction
{
    /// <summary>Forward the body unchanged.</summary>
    Pass,

    /// <summary>Forward the filter's new body.</summary>
    Rewrite,

    /// <summary>Answer 403 and forward nothing.</summary>
    Block,
}
