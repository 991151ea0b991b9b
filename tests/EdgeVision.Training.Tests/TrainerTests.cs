using EdgeVision.Core.Architecture;
using EdgeVision.Data;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Data;
using EdgeVision.Training.Model;
using EdgeVision.Training.Runs;
using TorchSharp;

namespace EdgeVision.Training.Tests;

public class TrainerTests
{
    // resnet8 (one block per stage) keeps a step to a few milliseconds.
    private static TrainingOptions Small(int epochs = 2) => new()
    {
        Architecture = "resnet8", Epochs = epochs, BatchSize = 32, LearningRate = 0.05, WarmupEpochs = 0, Nesterov = true,
        Seed = 3, FinalSurvivalProbability = 0.8, Augmentation = new AugmentationOptions { CropPadding = 2, HorizontalFlip = true, ErasingProbability = 0.3 },
        EvalBatchSize = 128,
    };

    [Fact]
    public void A_few_steps_lower_the_loss_on_the_images_trained_on()
    {
        using var dir = new TempDirectory();
        var data = TestData.FashionSplits(256, 64);
        var options = Small(epochs: 4) with { Augmentation = AugmentationOptions.None, FinalSurvivalProbability = 1 };
        using var trainer = new Trainer(options, data, NetworkInput.FashionMnist, dir.Path);
        double before = trainer.Evaluate(data.Train).Loss;
        var outcome = trainer.Run();
        double after = trainer.Evaluate(data.Train).Loss;
        Assert.True(outcome.Completed);
        Assert.True(after < before * 0.8, $"loss went from {before:F3} to {after:F3}");
        Assert.Equal(4, outcome.State.History.Count);
        Assert.True(File.Exists(trainer.BestCheckpointPath));
    }

    [Fact]
    public void Checkpoint_round_trip_restores_weights_statistics_and_outputs()
    {
        using var dir = new TempDirectory();
        var data = TestData.FashionSplits(64, 32);
        using var trainer = new Trainer(Small(1), data, NetworkInput.FashionMnist, dir.Path);
        trainer.Run();
        var loaded = CheckpointFile.Load(trainer.LastCheckpointPath);
        Assert.Equal(1, loaded.State.Epoch);
        Assert.Equal("resnet8", loaded.State.Architecture);
        Assert.Equal(FashionMnist.Classes, loaded.State.Labels);
        Assert.NotEmpty(loaded.Momentum);

        using var copy = new ResNetNetwork(loaded.Spec);
        NetworkWeights.Restore(copy, loaded.Weights);
        var original = Trainer.Evaluate(trainer.Network, NetworkInput.FashionMnist, data.Validation);
        var restored = Trainer.Evaluate(copy, NetworkInput.FashionMnist, data.Validation);
        Assert.Equal(original.Predictions, restored.Predictions);
        Assert.Equal(original.Loss, restored.Loss, 6);
        // Running statistics moved away from their initial values and came back intact.
        Assert.NotEqual(0f, loaded.Weights["layer1.0.bn1.running_mean"].Data.Select(Math.Abs).Max());
    }

    [Fact]
    public void Resuming_from_a_mid_epoch_checkpoint_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        var data = TestData.FashionSplits(128, 32);
        using var straightDir = new TempDirectory();
        using var resumedDir = new TempDirectory();

        using (var straight = new Trainer(Small(), data, NetworkInput.FashionMnist, straightDir.Path)) straight.Run();

        using (var first = new Trainer(Small(), data, NetworkInput.FashionMnist, resumedDir.Path))
        {
            var stopped = first.Run(null, maxSteps: 5, CancellationToken.None);
            Assert.False(stopped.Completed);
            Assert.Equal((1, 1), (stopped.State.Epoch, stopped.State.BatchInEpoch));
        }
        using (var second = Trainer.Resume(CheckpointFile.Load(Path.Combine(resumedDir.Path, Trainer.LastCheckpointName)), data, resumedDir.Path))
        {
            Assert.True(second.Run().Completed);
        }

        var a = CheckpointFile.Load(Path.Combine(straightDir.Path, Trainer.LastCheckpointName));
        var b = CheckpointFile.Load(Path.Combine(resumedDir.Path, Trainer.LastCheckpointName));
        foreach (var (name, tensor) in a.Weights)
        {
            float diff = tensor.Data.Zip(b.Weights[name].Data, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(diff <= 1e-5f, $"{name} differs by {diff}");
        }
        Assert.Equal(a.State.History.Select(h => h.TrainLoss), b.State.History.Select(h => h.TrainLoss), (x, y) => Math.Abs(x - y) < 1e-5);
    }

    [Fact]
    public void Cancellation_saves_a_checkpoint_and_stops()
    {
        using var dir = new TempDirectory();
        using var trainer = new Trainer(Small(), TestData.FashionSplits(64, 32), NetworkInput.FashionMnist, dir.Path);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var outcome = trainer.Run(null, cts.Token);
        Assert.False(outcome.Completed);
        Assert.Equal(0, CheckpointFile.Load(outcome.LastCheckpoint).State.Epoch);
    }

    [Fact]
    public void Truncated_checkpoint_is_an_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        using var trainer = new Trainer(Small(1), TestData.FashionSplits(64, 32), NetworkInput.FashionMnist, dir.Path);
        trainer.SaveCheckpoint(dir.File("full.ckpt"));
        byte[] bytes = File.ReadAllBytes(dir.File("full.ckpt"));
        File.WriteAllBytes(dir.File("cut.ckpt"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(dir.File("cut.ckpt")));
        Assert.Contains("cut.ckpt", e.Message);
    }
}
