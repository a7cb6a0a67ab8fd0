namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>One filter's decision. Build it with <see cref="Passed"/>, <see cref="Rewritten"/> or <see cref="Blocked"/>.</summary>
public sealed record BodyFilterResult
{
    private BodyFilterResult(BodyFilterAction action)
    {
        Action = action;
    }

    /// <summary>What the pipeline does next.</summary>
    public BodyFilterAction Action { get; }

    /// <summary>The new body, for <see cref="BodyFilterAction.Rewrite"/>.</summary>
    public ReadOnlyMemory<byte> Body { get; private init; }

    /// <summary>The 403 error code, for <see cref="BodyFilterAction.Block"/>.</summary>
    public string? Error { get; private init; }

    /// <summary>The 403 message, for <see cref="BodyFilterAction.Block"/>.</summary>
    public string? Message { get; private init; }

    /// <summary>A short description of the offending input, for the 403 body.</summary>
    public string? Detail { get; private init; }

    /// <summary>The access-line tag text (without the filter name), on any action; null for none.</summary>
    public string? Tag { get; private init; }

    /// <summary>Forward unchanged, with an optional tag.</summary>
    public static BodyFilterResult Passed(string? tag = null) => new(BodyFilterAction.Pass) { Tag = tag };

    /// <summary>Forward <paramref name="body"/> instead.</summary>
    public static BodyFilterResult Rewritten(ReadOnlyMemory<byte> body, string? tag = null) =>
        new(BodyFilterAction.Rewrite) { Body = body, Tag = tag };

    /// <summary>Refuse with a 403 <c>{error, message, detail}</c> (PX-13d).</summary>
    public static BodyFilterResult Blocked(string error, string message, string? detail, string? tag = null) =>
        new(BodyFilterAction.Block) { Error = error, Message = message, Detail = detail, Tag = tag };
}
