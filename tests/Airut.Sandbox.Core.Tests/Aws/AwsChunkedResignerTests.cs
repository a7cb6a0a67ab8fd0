using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Airut.Sandbox.Core.Aws;
using Airut.Sandbox.Testing;
using static Airut.Sandbox.Core.Tests.Aws.AwsTestKit;

namespace Airut.Sandbox.Core.Tests.Aws;

/// <summary>aws-chunked re-signing (credentials-cli.md §3.7, AWS-07). Expected bodies come from an oracle written here
/// from the AWS chunk-signing definition, independent of the production string-to-sign code.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class AwsChunkedResignerTests
{
    private const string Timestamp = "20130524T000000Z";
    private const string Scope = "20130524/us-east-1/s3/aws4_request";
    private const string Seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly int[] Segments = [1, 7, 4093, 7000, 65537];

    [Fact]
    [Trait("Spec", "SIG-51")]
    public async Task SIG_51_a_multi_megabyte_body_gives_identical_output_for_every_segment_size_through_the_processor_and_the_stream()
    {
        var chunks = MultiMegabyteChunks();
        var input = Frame(chunks, _ => Hex(64));
        var expected = Frame(chunks, OracleSignatures(chunks));
        Assert.True(input.Length >= 4 * 1024 * 1024);

        foreach (var segment in Segments)
        {
            var viaProcessor = Feed(NewResigner(), input, segment);
            Assert.True(expected.AsSpan().SequenceEqual(viaProcessor), $"processor output differs for {segment}-byte segments");

            await using var stream = new AwsChunkedResigningStream(new SegmentedStream(input, segment), NewResigner());
            var viaStream = await ReadAllAsync(stream);
            Assert.True(expected.AsSpan().SequenceEqual(viaStream), $"stream output differs for {segment}-byte segments");
            Assert.False(stream.PassedThrough);
        }
    }

    [Fact]
    [Trait("Spec", "SIG-51")]
    public void SIG_51_the_synchronous_read_path_gives_the_same_bytes()
    {
        var input = AwsKnownAnswerTests.Kat3Body();
        using var stream = new AwsChunkedResigningStream(new SegmentedStream(input, 977), NewResigner());
        using var copy = new MemoryStream();
        stream.CopyTo(copy);

        Assert.Equal(Feed(NewResigner(), input, input.Length), copy.ToArray());
    }

    [Fact]
    [Trait("Spec", "SIG-57")]
    public void SIG_57_sigv4a_chunk_signatures_verify_and_keep_the_144_character_padded_field()
    {
        using var algorithm = new SigV4ASignature(ExampleKeyId, Secret);
        var (x, y) = PublicKey(ExampleKeyId, Secret);
        const string scope = "20130524/s3/aws4_request";
        var chunks = new[] { Random(70001, 1), Random(3, 2), Array.Empty<byte>() };
        var input = Frame(chunks, _ => new string('*', 144).Insert(0, "00")[..144]);
        var seed = algorithm.Sign("seed");

        var output = Encoding.ASCII.GetString(Feed(new AwsChunkedResigner(algorithm, Timestamp, scope, seed, trailer: false, 1 << 20), input, 4093));

        Assert.Equal(input.Length, output.Length);
        var previous = seed;
        var offset = 0;
        foreach (var chunk in chunks)
        {
            var marker = output.IndexOf(";chunk-signature=", offset, StringComparison.Ordinal) + 17;
            var field = output.Substring(marker, 144);
            var signature = field.TrimEnd('*');
            var stringToSign = $"AWS4-ECDSA-P256-SHA256-PAYLOAD\n{Timestamp}\n{scope}\n{previous}\n{AwsSignatureAlgorithm.EmptySha256}\n{Convert.ToHexStringLower(SHA256.HashData(chunk))}";
            Assert.True(VerifyEcdsa(stringToSign, signature, x, y), "chunk signature does not verify");
            previous = signature;
            offset = marker + 144 + 2 + chunk.Length;
        }
    }

    [Fact]
    [Trait("Spec", "SIG-54")]
    public void SIG_54_trailer_signature_is_resigned_even_when_the_trailer_arrives_byte_by_byte()
    {
        var chunks = new[] { Random(1000, 3), Array.Empty<byte>() };
        var body = Frame(chunks, _ => Hex(64));
        var trailer = Encoding.ASCII.GetBytes($"x-amz-checksum-crc32:AAAAAA==\r\nx-amz-trailer-signature:{Hex(64)}\r\n\r\n");
        var input = body[..^2].Concat(trailer).ToArray();

        var output = Encoding.ASCII.GetString(Feed(NewResigner(trailer: true), input, 1));

        var signatures = OracleSignatures(chunks);
        var previous = signatures(chunks.Length - 1);
        var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{Timestamp}\n{Scope}\n{previous}\n{Convert.ToHexStringLower(SHA256.HashData("x-amz-checksum-crc32:AAAAAA==\n"u8))}";
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(SigV4Signature.DeriveSigningKey(Secret, "20130524", "us-east-1", "s3"), Encoding.UTF8.GetBytes(stringToSign)));
        Assert.EndsWith($"\r\nx-amz-checksum-crc32:AAAAAA==\r\nx-amz-trailer-signature:{expected}\r\n\r\n", output, StringComparison.Ordinal);
        Assert.Equal(input.Length, output.Length);
    }

    [Theory]
    [Trait("Spec", "AWS-07")]
    [InlineData("a;chunk-signature={0}\r\n0123456789AB\r\n0;chunk-signature={0}\r\n\r\n")] // size does not match the data
    [InlineData("-5;chunk-signature={0}\r\nabcde\r\n")] // negative size
    [InlineData("FFFFFFFFFFFFFFFFFFFFFF;chunk-signature={0}\r\nabcde\r\n")] // hex overflow
    [InlineData("5\r\nabcde\r\n0\r\n\r\n")] // no chunk-signature
    [InlineData("5;chunk-signature=ab\r\nX-Injected: 1\r\nabcde\r\n")] // header injection through the signature
    [InlineData("5;chunk-signature={0};x=1\r\nabcde\r\n")] // unknown extension
    [InlineData("5;chunk-signature={0}\r\nabcdeXY0;chunk-signature={0}\r\n\r\n")] // data not followed by CRLF
    [InlineData("20000000;chunk-signature={0}\r\nabc")] // chunk larger than the bound
    public void AWS_07_malformed_streams_pass_through_unchanged_without_throwing(string template)
    {
        var input = Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Hex(64)));

        foreach (var segment in new[] { 1, 3, input.Length })
        {
            Assert.Equal(input, Feed(NewResigner(), input, segment));
        }
    }

    [Fact]
    [Trait("Spec", "SIG-56")]
    public async Task SIG_56_a_body_that_went_out_unchanged_is_logged_once()
    {
        var log = new RecordingLogger<AwsChunkedResignerTests>();
        var input = Encoding.ASCII.GetBytes($"5;chunk-signature={Hex(64)}\r\nabcdeXY");
        await using var stream = new AwsChunkedResigningStream(new MemoryStream(input), NewResigner(), log);

        Assert.Equal(input, await ReadAllAsync(stream));
        Assert.True(stream.PassedThrough);
        Assert.Single(log.Lines, l => l.StartsWith("Error: Chunked re-signing failed", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "AWS-07")]
    public void AWS_07_bytes_after_the_terminal_chunk_pass_through_and_earlier_chunks_stay_resigned()
    {
        var chunks = new[] { Random(10, 4), Array.Empty<byte>() };
        var input = Frame(chunks, _ => Hex(64)).Concat("X"u8.ToArray()).ToArray();

        var output = Feed(NewResigner(), input, 5);

        Assert.Equal(Frame(chunks, OracleSignatures(chunks)).Concat("X"u8.ToArray()).ToArray(), output);
    }

    [Fact]
    [Trait("Spec", "SIG-55")]
    public void SIG_55_a_good_chunk_followed_by_garbage_keeps_the_good_chunk_and_passes_the_rest()
    {
        var data = Random(100, 5);
        var garbage = "garbage\r\n"u8.ToArray();
        var input = Frame([data], _ => Hex(64)).Concat(garbage).ToArray();

        var output = Feed(NewResigner(), input, 13);

        Assert.Equal(Frame([data], OracleSignatures([data])).Concat(garbage).ToArray(), output);
    }

    private static AwsChunkedResigner NewResigner(bool trailer = false) =>
        new(SigV4Signature.Create(Secret, "20130524", "us-east-1", "s3"), Timestamp, Scope, Seed, trailer, 16 * 1024 * 1024);

    private static byte[] Feed(AwsChunkedResigner resigner, byte[] input, int segment)
    {
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < input.Length; i += segment)
        {
            resigner.Process(input.AsSpan(i, Math.Min(segment, input.Length - i)), output);
        }

        resigner.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    // 4 MiB of 64 KiB chunks plus odd-sized ones and the terminal chunk.
    private static byte[][] MultiMegabyteChunks()
    {
        var chunks = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            chunks.Add(Random(65536, i));
        }

        chunks.Add(Random(12345, 100));
        chunks.Add(Random(1, 101));
        chunks.Add([]);
        return [.. chunks];
    }

    private static byte[] Frame(byte[][] chunks, Func<int, string> signature)
    {
        using var body = new MemoryStream();
        for (var i = 0; i < chunks.Length; i++)
        {
            body.Write(Encoding.ASCII.GetBytes($"{chunks[i].Length:x};chunk-signature={signature(i)}\r\n"));
            body.Write(chunks[i]);
            if (chunks[i].Length > 0 || i == chunks.Length - 1)
            {
                body.Write("\r\n"u8);
            }
        }

        return body.ToArray();
    }

    // The chain as AWS defines it: each chunk signs the previous signature and the chunk's SHA-256.
    private static Func<int, string> OracleSignatures(byte[][] chunks)
    {
        var key = SigV4Signature.DeriveSigningKey(Secret, "20130524", "us-east-1", "s3");
        var signatures = new List<string>();
        var previous = Seed;
        foreach (var chunk in chunks)
        {
            var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{Timestamp}\n{Scope}\n{previous}\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n{Convert.ToHexStringLower(SHA256.HashData(chunk))}";
            previous = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
            signatures.Add(previous);
        }

        return i => signatures[i];
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
