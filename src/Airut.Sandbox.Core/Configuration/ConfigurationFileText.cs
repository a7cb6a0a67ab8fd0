using System.Buffers;
using System.Text.Unicode;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;

namespace Airut.Sandbox.Core.Configuration;

/// <summary>
/// Reads a configuration file as UTF-8 text, refusing what YAML parsing should never see: files over a
/// size cap (checked before anything is parsed), UTF-16/UTF-32, invalid UTF-8 and NUL characters.
/// A UTF-8 byte order mark is accepted and dropped.
/// </summary>
internal static class ConfigurationFileText
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] Utf16LittleEndianBom = [0xFF, 0xFE];
    private static readonly byte[] Utf16BigEndianBom = [0xFE, 0xFF];
    private static readonly byte[] Utf32LittleEndianBom = [0xFF, 0xFE, 0x00, 0x00];
    private static readonly byte[] Utf32BigEndianBom = [0x00, 0x00, 0xFE, 0xFF];

    /// <summary>Reads <paramref name="path"/>, which must exist, as text of at most <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<string> ReadAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        var bytes = await ReadBoundedAsync(path, maxBytes, cancellationToken).ConfigureAwait(false);
        return Decode(path, bytes);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes; a longer file is refused without reading the rest.</summary>
    public static async Task<byte[]> ReadBoundedAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        var start = new SourceLocation(path, 1, 1);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                // Length is 0 for pipes and character devices, so the bounded read below is what really enforces the cap.
                if (stream.CanSeek && stream.Length > maxBytes)
                {
                    throw TooLarge(start, maxBytes);
                }

                using var content = new MemoryStream(stream.CanSeek ? (int)stream.Length : 0);
                var chunk = new byte[64 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (content.Length + read > maxBytes)
                    {
                        throw TooLarge(start, maxBytes);
                    }

                    content.Write(chunk, 0, read);
                }

                return content.ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SandboxConfigurationException($"cannot read the file: {ex.Message}", start);
        }
    }

    /// <summary>Decodes <paramref name="bytes"/> as strict UTF-8 (BOM allowed).</summary>
    public static string Decode(string path, ReadOnlySpan<byte> bytes)
    {
        var start = new SourceLocation(path, 1, 1);
        if (bytes.StartsWith(Utf32LittleEndianBom) || bytes.StartsWith(Utf32BigEndianBom))
        {
            throw new SandboxConfigurationException("the file is UTF-32 encoded; save it as UTF-8", start);
        }

        if (bytes.StartsWith(Utf16LittleEndianBom) || bytes.StartsWith(Utf16BigEndianBom))
        {
            throw new SandboxConfigurationException("the file is UTF-16 encoded; save it as UTF-8", start);
        }

        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out _, out var written, replaceInvalidSequences: false);
        var text = new string(chars, 0, written);
        if (status != OperationStatus.Done)
        {
            throw new SandboxConfigurationException(
                "the file is not valid UTF-8 text; save it as UTF-8", PositionAfter(path, text));
        }

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            throw new SandboxConfigurationException(
                "the file contains a NUL character (is it UTF-16 without a byte order mark?); save it as UTF-8 text",
                PositionAfter(path, text[..nul]));
        }

        return text;
    }

    private static SourceLocation PositionAfter(string path, string prefix)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < prefix.Length; i++)
        {
            if (prefix[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourceLocation(path, line, prefix.Length - lineStart + 1);
    }

    private static SandboxConfigurationException TooLarge(SourceLocation location, int maxBytes) =>
        new($"the file is larger than {maxBytes} bytes; configuration files are limited to that size", location);
}
