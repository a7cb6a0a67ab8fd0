using System.Text;
using System.Text.Json;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Docker.Api;

namespace Airut.Sandbox.Docker;

/// <summary>
/// Reads the newline-separated JSON messages that <c>/build</c> and <c>/images/load</c> stream back:
/// progress text goes to the caller, an <c>errorDetail</c> ends the operation with the daemon's message.
/// </summary>
internal static class JsonMessageStream
{
    /// <summary>Reads to the end; throws on the first error message.</summary>
    /// <returns>Every progress text seen, in order.</returns>
    public static async Task<IReadOnlyList<string>> ReadAsync(Stream source, string operation, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        using var reader = new StreamReader(source, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonMessage message;
            try
            {
                message = JsonSerializer.Deserialize(line, DockerJsonContext.Default.JsonMessage)
                    ?? throw new JsonException("null message");
            }
            catch (JsonException ex)
            {
                throw new SandboxInfrastructureException($"Docker {operation}: unreadable progress message from the daemon: {ex.Message}", ex);
            }

            var error = message.ErrorDetail?.Message ?? message.Error;
            if (!string.IsNullOrEmpty(error))
            {
                throw new SandboxInfrastructureException($"Docker {operation} failed: {error.TrimEnd()}");
            }

            var text = (message.Stream ?? message.Status)?.TrimEnd('\r', '\n');
            if (!string.IsNullOrEmpty(text))
            {
                texts.Add(text);
                progress?.Report(text);
            }
        }

        return texts;
    }
}
