namespace Airut.Sandbox.Core.Images;

/// <summary>One file of an image build context, held in memory so that the build uses exactly the bytes that were hashed.</summary>
/// <param name="Name">File name relative to the context root; <c>/</c> separates directories. Never absolute, never <c>.</c> or <c>..</c>.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="Executable">Written with mode 0755 instead of 0644, so <c>COPY</c> keeps it runnable.</param>
public sealed record BuildContextFile(string Name, ReadOnlyMemory<byte> Content, bool Executable = false);
