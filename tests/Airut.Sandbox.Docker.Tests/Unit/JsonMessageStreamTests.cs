using System.Text;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Docker.Tests.Unit;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class JsonMessageStreamTests
{
    private static Task<IReadOnlyList<string>> Read(string text, IProgress<string>? progress = null)
        => JsonMessageStream.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "build of t", progress, CancellationToken.None);

    [Fact]
    public async Task Progress_text_is_reported_without_trailing_newlines()
    {
        var reported = new List<string>();
        var texts = await Read("{\"stream\":\"Step 1/2 : FROM x\\n\"}\r\n{\"aux\":{\"ID\":\"sha256:1\"}}\r\n\r\n{\"status\":\"Loaded\"}\n", new SynchronousProgress(reported));

        Assert.Equal(["Step 1/2 : FROM x", "Loaded"], texts);
        Assert.Equal(texts, reported);
    }

    [Fact]
    public async Task An_error_detail_fails_with_the_daemons_message()
    {
        var ex = await Assert.ThrowsAsync<SandboxInfrastructureException>(() =>
            Read("{\"stream\":\"Step 1/2\\n\"}\n{\"errorDetail\":{\"code\":1,\"message\":\"The command '/bin/sh -c false' returned a non-zero code: 1\"},\"error\":\"ignored\"}\n"));

        Assert.Equal("Docker build of t failed: The command '/bin/sh -c false' returned a non-zero code: 1", ex.Message);
    }

    [Fact]
    public async Task Garbage_in_the_stream_is_an_error_not_ignored()
    {
        await Assert.ThrowsAsync<SandboxInfrastructureException>(() => Read("not json\n"));
    }

    private sealed class SynchronousProgress(List<string> target) : IProgress<string>
    {
        public void Report(string value) => target.Add(value);
    }
}
