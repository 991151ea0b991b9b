using EdgeVision.Core.Model;
using EdgeVision.Training.Checkpoints;

namespace EdgeVision.Training.Tests;

public class CheckpointMetadataTests
{
    private static CheckpointState State(string dataset) => new()
    {
        Options = new(), Architecture = "resnet20", InputChannels = 1, Labels = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(),
        Color = ColorMode.Grey, Mean = [0.286f], Std = [0.353f], InputHeight = 28, InputWidth = 28, Dataset = dataset,
    };

    [Fact]
    public void FashionMnistModelsKeepTheFramesAspectRatio()
    {
        Assert.Equal(ResizePolicy.CenterCrop, CheckpointMetadata.Create(State("fashion-mnist"), 0.9, 0.99).Resize);
    }

    [Fact]
    public void ImageFolderModelsStretchLikeTheirLoader()
    {
        Assert.Equal(ResizePolicy.Stretch, CheckpointMetadata.Create(State("captures"), 0.9, 0.99).Resize);
    }

    [Fact]
    public void AnExplicitResizePolicyWins()
    {
        var metadata = CheckpointMetadata.Create(State("fashion-mnist"), 0.9, 0.99, resize: ResizePolicy.Stretch);
        Assert.Equal(ResizePolicy.Stretch, metadata.Resize);
        Assert.Equal("stretch", metadata.ToProperties()[MetadataKeys.Resize]);
    }
}
