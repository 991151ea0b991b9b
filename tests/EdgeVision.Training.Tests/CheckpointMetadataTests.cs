using EdgeVision.Core.Model;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Runs;

namespace EdgeVision.Training.Tests;

public class CheckpointMetadataTests
{
    private static CheckpointState State(string dataset) => new()
    {
        Options = new(), Architecture = "resnet20", InputChannels = 1, Labels = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(),
        Color = ColorMode.Grey, Mean = [0.286f], Std = [0.353f], InputHeight = 28, InputWidth = 28, Dataset = dataset,
    };

    [Fact]
    public void Fashion_MNIST_models_keep_the_frames_aspect_ratio()
    {
        Assert.Equal(ResizePolicy.CenterCrop, CheckpointMetadata.Create(State("fashion-mnist"), 0.9, 0.99).Resize);
    }

    [Fact]
    public void Image_folder_models_stretch_like_their_loader()
    {
        Assert.Equal(ResizePolicy.Stretch, CheckpointMetadata.Create(State("captures"), 0.9, 0.99).Resize);
    }

    [Fact]
    public void An_explicit_resize_policy_wins()
    {
        var metadata = CheckpointMetadata.Create(State("fashion-mnist"), 0.9, 0.99, resize: ResizePolicy.Stretch);
        Assert.Equal(ResizePolicy.Stretch, metadata.Resize);
        Assert.Equal("stretch", metadata.ToProperties()[MetadataKeys.Resize]);
    }

    [Fact]
    public void Accuracy_is_that_of_the_checkpoints_own_epoch_not_the_runs_best()
    {
        EpochResult Row(int epoch, double top1) => new(epoch, 0.5, 0.9, 0.3, top1, 0.99, 0.01, 100, 500);
        var history = new[] { Row(1, 0.90), Row(2, 0.95), Row(3, 0.93) };
        // last.ckpt after epoch 3: the best was epoch 2, but these weights scored 93 %.
        var last = State("fashion-mnist") with { Epoch = 3, History = history, BestEpoch = 2, BestValidationAccuracy = 0.95 };
        Assert.Equal((0.93, 0.99), CheckpointMetadata.ValidatedAccuracy(last));
        var best = last with { Epoch = 2, History = history[..2] };
        Assert.Equal(0.95, CheckpointMetadata.ValidatedAccuracy(best).Top1);
        // Saved by Ctrl-C in the middle of epoch 4: trained past epoch 3's numbers, never validated.
        Assert.Equal((null, null), CheckpointMetadata.ValidatedAccuracy(last with { BatchInEpoch = 17 }));
    }
}
