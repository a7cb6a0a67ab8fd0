using System.Net;
using System.Net.Http.Headers;

namespace Airut.Sandbox.Docker;

/// <summary>An HTTP body that streams a build context archive as it is written (chunked, never held whole).</summary>
internal sealed class BuildContextContent : HttpContent
{
    private readonly BuildContextArchive _archive;

    public BuildContextContent(BuildContextArchive archive)
    {
        _archive = archive;
        Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        => _archive.WriteToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
