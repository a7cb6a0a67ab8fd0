using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Airut.Sandbox.Core.Aws;
using BenchmarkDotNet.Attributes;

namespace Airut.Sandbox.Benchmarks;

/// <summary>aws-chunked re-signing of a 4 MiB upload in 64 KiB chunks, against plain SHA-256 of the same bytes
/// (the floor: re-signing must at least hash every byte once).</summary>
[MemoryDiagnoser]
public class AwsChunkedResigningBenchmarks
{
    private const int ChunkSize = 64 * 1024;
    private readonly ArrayBufferWriter<byte> _output = new(5 * 1024 * 1024);
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var data = new byte[ChunkSize];
        new Random(1).NextBytes(data);
        using var body = new MemoryStream();
        for (var i = 0; i < 64; i++)
        {
            body.Write(Encoding.ASCII.GetBytes($"{ChunkSize:x};chunk-signature={new string('0', 64)}\r\n"));
            body.Write(data);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"0;chunk-signature={new string('0', 64)}\r\n\r\n"));
        _body = body.ToArray();
    }

    [Benchmark(Baseline = true)]
    public byte[] Sha256OfBody() => SHA256.HashData(_body);

    [Benchmark]
    public int ResignChunkedBody()
    {
        _output.ResetWrittenCount();
        var resigner = new AwsChunkedResigner(
            SigV4Signature.Create("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3"),
            "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", new string('a', 64), trailer: false, 16 * 1024 * 1024);
        for (var offset = 0; offset < _body.Length; offset += 65536)
        {
            resigner.Process(_body.AsSpan(offset, Math.Min(65536, _body.Length - offset)), _output);
        }

        resigner.Complete(_output);
        return _output.WrittenCount;
    }
}
