using EdgeVision.Core.Architecture;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Data;
using EdgeVision.Training.Model;
using EdgeVision.Training.Runs;

namespace EdgeVision.Training.Tests;

/// <summary>The Trainer and checkpoints with the new families, as <c>edgevision train --arch …</c> runs them.</summary>
public class FamilyTrainingTests
{
    [Theory]
    [InlineData("densenet_bc_40_12")]
    [InlineData("regnet_y_cifar:16,12,2,5,8")]
    public void A_new_family_trains_and_its_checkpoint_rebuilds_the_same_network(string architecture)
    {
        using var dir = new TempDirectory();
        var data = TestData.FashionSplits(64, 32);
        var options = new TrainingOptions
        {
            Architecture = architecture, Epochs = 1, BatchSize = 32, LearningRate = 0.05, WarmupEpochs = 0, Seed = 3,
            Augmentation = AugmentationOptions.None, EvalBatchSize = 64,
        };
        using var trainer = new Trainer(options, data, NetworkInput.FashionMnist, dir.Path);
        double before = trainer.Evaluate(data.Train).Loss;
        Assert.True(trainer.Run().Completed);
        Assert.True(double.IsFinite(trainer.Evaluate(data.Train).Loss) && trainer.Evaluate(data.Train).Loss != before);

        var loaded = CheckpointFile.Load(trainer.LastCheckpointPath);
        Assert.Equal(trainer.Network.Plan.Name, loaded.State.Architecture);
        using var copy = ZooNetworks.Create(loaded.Plan);
        Assert.Equal(trainer.Network.GetType(), copy.GetType());
        NetworkWeights.Restore(copy, loaded.Weights);
        var original = Trainer.Evaluate(trainer.Network, NetworkInput.FashionMnist, data.Validation);
        var restored = Trainer.Evaluate(copy, NetworkInput.FashionMnist, data.Validation);
        Assert.Equal(original.Predictions, restored.Predictions);
    }

    [Fact]
    public void Residual_only_options_are_refused_for_a_DenseNet_naming_why()
    {
        var plan = NetworkZoo.Create("densenet_bc_40_12", 1, 10);
        var e = Assert.Throws<ArgumentException>(() => ZooNetworks.Create(plan, new NetworkOptions { ZeroInitResidual = true }));
        Assert.Contains("residual", e.Message, StringComparison.Ordinal);
    }
}
