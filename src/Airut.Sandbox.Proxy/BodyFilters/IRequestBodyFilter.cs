namespace Airut.Sandbox.Proxy.BodyFilters;

/// <summary>
/// One stage of the request-body filter pipeline (OPT-6, stage S3 of PX-5). A filter gates itself on the request,
/// then inspects the buffered body and passes it, rewrites it or blocks the request. Implementations are pure
/// functions of their input and thread-safe; the pipeline turns any exception into a 403 <c>filter_error</c>.
/// </summary>
public interface IRequestBodyFilter
{
    /// <summary>The log namespace: tags are written as <c>[{Name}: {tag}]</c> (LOG-5).</summary>
    string Name { get; }

    /// <summary>The largest body the filter inspects. A longer body reaches <see cref="Apply"/> cut to one byte
    /// past this bound, and the filter must block it.</summary>
    int MaxBodyBytes { get; }

    /// <summary>True when the filter inspects <paramref name="request"/>.</summary>
    bool AppliesTo(BodyFilterRequest request);

    /// <summary>Inspects the body (already rewritten by earlier filters) and decides.</summary>
    BodyFilterResult Apply(BodyFilterRequest request, ReadOnlyMemory<byte> body);
}
