using EdgeVision.Tools.Bench;

namespace EdgeVision.Tools.Tests;

public sealed class WinogradProbeTests
{
    [Theory]
    [InlineData(8, 6, 2)]  // whole tiles
    [InlineData(4, 5, 1)]  // odd size: the last tile row and column are cropped
    public void The_winograd_graph_computes_the_same_convolution_as_the_direct_one(int channels, int size, int batch)
    {
        var r = WinogradProbe.Measure(new WinogradProbe.Shape(channels, size), batch, threads: 1, seconds: 0.01);
        Assert.True(r.MaxAbs > 0.1, $"outputs are all near zero ({r.MaxAbs}); the comparison would prove nothing");
        Assert.True(r.MaxAbsDiff <= 1e-5, $"max |winograd - direct| = {r.MaxAbsDiff}");
    }

    [Fact]
    public void Writing_its_section_keeps_the_other_sections()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.md");
        try
        {
            File.WriteAllText(path, "# Benchmarks\n\n## A\n\nfirst\n\n" + WinogradProbe.Heading + "\n\nold\n\n## B\n\nlast\n");
            BenchMarkdown.Write(path, WinogradProbe.Heading, WinogradProbe.Heading + "\n\nnew\n");
            string text = File.ReadAllText(path);
            Assert.Contains("## A\n\nfirst", text);
            Assert.Contains("## B\n\nlast", text);
            Assert.Contains("new", text);
            Assert.DoesNotContain("old", text);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
