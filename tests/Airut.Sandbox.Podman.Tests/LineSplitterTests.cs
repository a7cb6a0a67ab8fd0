using System.Text;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Podman.Tests;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class LineSplitterTests
{
    [Fact]
    public void Lines_split_across_chunks_are_joined_and_a_final_partial_line_is_flushed()
    {
        var lines = new List<string>();
        var splitter = new LineSplitter(lines.Add);

        splitter.Append("STEP 1/2: FR"u8);
        splitter.Append("OM base\r\nSTEP 2/2\nCOMM"u8);
        splitter.Append("IT"u8);
        splitter.Flush();

        Assert.Equal(["STEP 1/2: FROM base", "STEP 2/2", "COMMIT"], lines);
    }

    [Fact]
    public void A_huge_line_is_cut_at_64_KiB()
    {
        var lines = new List<string>();
        var splitter = new LineSplitter(lines.Add);

        splitter.Append(Encoding.ASCII.GetBytes(new string('x', 200_000) + "\n"));

        Assert.Equal(64 * 1024, Assert.Single(lines).Length);
    }
}
