using TorchSharp;

namespace EdgeVision.Training.Tests;

public class TorchSharpLoadTests
{
    // Fails with "doesn't contain a reference to libtorch-cpu-linux-x64" when the GLIBCXX patch is missing.
    [Fact]
    public void Native_library_loads_and_computes()
    {
        using var ones = torch.ones(3, 4);
        using var sum = ones.sum();
        Assert.Equal(12f, sum.item<float>());
    }
}
