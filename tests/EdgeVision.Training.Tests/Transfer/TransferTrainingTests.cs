using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Training.Data;
using EdgeVision.Training.Runs;
using EdgeVision.Training.Transfer;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests.Transfer;

/// <summary>
/// Training on a pretrained backbone: what is frozen stays bit-identical (BN running statistics included) while the
/// rest learns; cached features are the live ones; the exported contract model computes what TorchSharp computes.
/// The ImageNet backbone runs at 64 px here (BackboneResize) to keep the CPU cost of a test small, and at 224 px once.
/// </summary>
public sealed class TransferTrainingTests
{
    private static readonly Lazy<PretrainedBackbone> At64 = new(() => BackboneResize.To(OnnxNetworkTests.ImageNet.Value, 64));

    /// <summary>Fashion-MNIST test images stretched to <paramref name="size"/>, grey (one channel) as the IDX data is.</summary>
    private static ImageDataset Grey(int start, int count, int size) => DatasetResize.Stretch(TestData.FashionSlice(start, count), size);

    private static (TransferNetwork Network, BackboneInput Input) Create(PretrainedBackbone backbone, int classes = 10)
    {
        torch.random.manual_seed(3);
        var network = new TransferNetwork(new OnnxNetwork(backbone.Graph, backbone.FeatureName), backbone.FeatureCount, classes);
        return (network, new BackboneInput(backbone.Preprocessing, backbone.InputHeight, backbone.InputWidth));
    }

    private static TransferOptions Options(FreezeDepth freeze, int epochs = 1) => new()
    {
        Epochs = epochs, BatchSize = 8, LearningRate = 0.05, Freeze = freeze, Augmentation = AugmentationOptions.None, EvalBatchSize = 8,
    };

    private static Dictionary<string, float[]> Snapshot(OnnxNetwork backbone) =>
        backbone.ParameterisedNodes.SelectMany(m => m.Value.named_parameters().Select(p => ($"{m.Key}.{p.name}", (Tensor)p.parameter))
                .Concat(m.Value.named_buffers().Select(b => ($"{m.Key}.{b.name}", b.buffer))))
            .ToDictionary(p => p.Item1, p => p.Item2.detach().clone().data<float>().ToArray());

    /// <summary>The backbone's parameters and buffers before and after one epoch on 16 images, and each node's stage.</summary>
    private static (Dictionary<string, float[]> Before, Dictionary<string, float[]> After, Dictionary<string, int> Stages) TrainedOnce(TransferOptions options)
    {
        var (network, input) = Create(At64.Value);
        using var _ = network;
        using var __ = input;
        var data = Grey(0, 16, 64);
        var before = Snapshot(network.Backbone);
        using (var trainer = new TransferTrainer(options, network, input, new DatasetSplits("slice", data, data)))
            trainer.Run();
        return (before, Snapshot(network.Backbone), new Dictionary<string, int>(network.Backbone.Stages));
    }

    [Fact]
    public void Freezing_up_to_layer2_leaves_stem_to_layer2_bit_identical_with_BN_statistics_while_layer3_learns()
    {
        var (before, after, stages) = TrainedOnce(Options(FreezeDepth.Parse("layer2")));

        var frozenChanged = new List<string>();
        int learned = 0, statsMoved = 0;
        foreach (var (key, values) in before)
        {
            int stage = stages[key[..key.IndexOf('.')]];
            bool same = values.AsSpan().SequenceEqual(after[key]);
            if (stage <= 2 && !same) frozenChanged.Add(key);
            if (stage == 3 && !same && !key.Contains("running")) learned++;
            if (stage == 3 && !same && key.Contains("running_mean")) statsMoved++;
        }
        Assert.Empty(frozenChanged);
        Assert.True(learned > 0, "layer3 should learn");
        Assert.True(statsMoved > 0, "layer3's BatchNorm statistics should follow the data");
        Assert.Contains(stages, s => s.Value <= 2);
    }

    [Fact]
    public void Keeping_BN_statistics_trains_the_layers_and_their_BN_scale_while_every_running_statistic_stays_bit_identical()
    {
        var (before, after, stages) = TrainedOnce(Options(FreezeDepth.Parse("layer2")) with { KeepBatchNormStatistics = true });

        var statsMoved = new List<string>();
        int learned = 0, bnScalesLearned = 0;
        foreach (var (key, values) in before)
        {
            bool same = values.AsSpan().SequenceEqual(after[key]);
            if (key.Contains("running") && !same) statsMoved.Add(key);
            string node = key[..key.IndexOf('.')];
            if (stages[node] >= 3 && !same && !key.Contains("running"))
            {
                learned++;
                if (before.ContainsKey(node + ".running_mean")) bnScalesLearned++; // a BatchNorm node's weight or bias
            }
        }
        Assert.Empty(statsMoved);
        Assert.True(learned > 0, "layer3 and layer4 should learn");
        Assert.True(bnScalesLearned > 0, "their BatchNorm scale and shift should learn");
    }

    [Fact]
    public void A_diverging_run_stops_at_the_first_broken_batch_and_names_the_rate_to_lower()
    {
        var (network, input) = Create(At64.Value);
        using var _ = network;
        using var __ = input;
        var data = Grey(0, 16, 64);
        // The backbone at 10 × an already large head rate, its BatchNorm not renormalising: activations overflow within a few steps.
        var options = Options(FreezeDepth.Parse("layer3"), epochs: 5) with { LearningRate = 5, BackboneLearningRateScale = 10, KeepBatchNormStatistics = true };
        using var trainer = new TransferTrainer(options, network, input, new DatasetSplits("slice", data, data));
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Matches(@"training diverged in epoch \d+, batch \d+: the loss is (NaN|∞|-∞)", e.Message);
        Assert.Contains("lower --backbone-lr-scale (10", e.Message);
    }

    [Fact]
    public void Keeping_BN_statistics_with_nothing_of_the_backbone_training_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => (Options(FreezeDepth.Backbone) with { KeepBatchNormStatistics = true }).Validate());
        Assert.Contains("--keep-bn-stats", e.Message);
    }

    [Fact]
    public void Cached_features_equal_the_live_features_and_a_frozen_backbone_stays_identical()
    {
        var (network, input) = Create(At64.Value);
        using var _ = network;
        using var __ = input;
        var data = Grey(20, 12, 64);
        var cache = FeatureCache.Compute(network.Backbone, input, data, batchSize: 5);
        network.Freeze(FreezeDepth.Backbone);
        network.eval();
        float[] live;
        using (torch.no_grad())
        using (var scope = NewDisposeScope())
        {
            var pixels = torch.tensor(data.Pixels, [data.Count, 64, 64, 1], dtype: ScalarType.Byte);
            live = network.Features(input.ToNetwork(pixels)).data<float>().ToArray();
        }
        Assert.Equal(data.Count * 512, cache.Features.Length);
        Assert.True(OnnxNetworkTests.MaxAbsDiff(live, cache.Features) <= 1e-5, $"max |cache − live| = {OnnxNetworkTests.MaxAbsDiff(live, cache.Features)}");

        var before = Snapshot(network.Backbone);
        float[] headBefore = network.Head.weight!.detach().clone().data<float>().ToArray();
        using (var trainer = new TransferTrainer(Options(FreezeDepth.Backbone, epochs: 2), network, input, new DatasetSplits("slice", data, data)))
            trainer.Run();
        var after = Snapshot(network.Backbone);
        Assert.All(before, p => Assert.True(p.Value.AsSpan().SequenceEqual(after[p.Key]), $"{p.Key} changed under --freeze backbone"));
        Assert.False(headBefore.AsSpan().SequenceEqual(network.Head.weight!.detach().data<float>().ToArray()), "the head should learn");
    }

    [Fact]
    public void Unfreezing_at_an_epoch_trains_the_whole_backbone_from_then_on()
    {
        var (network, input) = Create(At64.Value);
        using var _ = network;
        using var __ = input;
        var data = Grey(60, 16, 64);
        var before = Snapshot(network.Backbone);
        var options = Options(FreezeDepth.Backbone, epochs: 2) with { UnfreezeAt = 2, BackboneLearningRateScale = 0.1 };
        TransferOutcome outcome;
        using (var trainer = new TransferTrainer(options, network, input, new DatasetSplits("slice", data, data)))
            outcome = trainer.Run();
        var after = Snapshot(network.Backbone);
        Assert.True(outcome.FeatureSeconds > 0, "epoch 1 should run on cached features");
        Assert.Equal(FreezeDepth.None, network.Frozen);
        var stemConv = network.Backbone.Stages.First(s => s.Value == 0).Key + ".weight";
        Assert.False(before[stemConv].AsSpan().SequenceEqual(after[stemConv]), "after --unfreeze-at even the stem learns");
    }

    [Theory]
    [InlineData(64, "stem")]
    [InlineData(224, "layer3")]
    public void The_exported_contract_model_matches_TorchSharp_in_evaluation(int size, string freeze)
    {
        var backbone = size == 64 ? At64.Value : OnnxNetworkTests.ImageNet.Value;
        var (network, input) = Create(backbone);
        using var _ = network;
        using var __ = input;
        var data = Grey(40, 8, size);
        using (var trainer = new TransferTrainer(Options(FreezeDepth.Parse(freeze)), network, input, new DatasetSplits("slice", data, data)))
            trainer.Run();

        var metadata = new ModelMetadata
        {
            Labels = FashionMnist.Classes, Architecture = "resnet18", InputWidth = 1, InputHeight = 1, Color = ColorMode.Bgr, Mean = [0, 0, 0], Std = [1, 1, 1],
            Pretrained = backbone.Name,
        };
        var model = TransferExport.Build(backbone, network, metadata);
        network.eval();
        float[] expected;
        using (torch.no_grad())
        using (var scope = NewDisposeScope())
        {
            var pixels = torch.tensor(data.Pixels, [data.Count, size, size, 1], dtype: ScalarType.Byte);
            expected = nn.functional.softmax(network.forward(input.ToNetwork(pixels)), 1).data<float>().ToArray();
        }
        // The daemon hands a grey frame to the model as BGR with B = G = R.
        byte[] bgr = new byte[data.Pixels.Length * 3];
        for (int i = 0; i < data.Pixels.Length; i++) bgr[3 * i] = bgr[3 * i + 1] = bgr[3 * i + 2] = data.Pixels[i];
        using var ort = new OrtGraph(model);
        float[] actual = ort.Run(ModelContract.InputName, bgr, [data.Count, size, size, 3], ModelContract.ProbabilitiesName);
        Assert.True(OnnxNetworkTests.MaxAbsDiff(expected, actual) <= 1e-4, $"max |TorchSharp − ORT| = {OnnxNetworkTests.MaxAbsDiff(expected, actual)}");

        var read = ModelMetadata.FromProperties(model.MetadataProps.ToDictionary(p => p.Key, p => p.Value), "exported");
        Assert.Equal(backbone.Name, read.Pretrained);
        Assert.Equal(freeze, read.Frozen);
        Assert.Equal(size, read.InputWidth);
    }

    [Fact]
    public void Bad_freeze_depths_image_sizes_and_heads_are_refused_by_name()
    {
        Assert.Contains("'layer0'", Assert.Throws<ArgumentException>(() => FreezeDepth.Parse("layer0")).Message);
        Assert.Contains("'conv'", Assert.Throws<ArgumentException>(() => FreezeDepth.Parse("conv")).Message);
        var (network, input) = Create(At64.Value);
        using var _ = network;
        using var __ = input;
        Assert.Contains("only 4 layers", Assert.Throws<ArgumentException>(() => network.Freeze(FreezeDepth.Parse("layer5"))).Message);
        Assert.Contains("multiple of 32", Assert.Throws<ArgumentException>(() => BackboneResize.To(OnnxNetworkTests.ImageNet.Value, 100)).Message);
        var data = Grey(0, 8, 64);
        var three = new ImageDataset("three", data.Pixels, [.. data.Labels.Select(l => l % 3)], 64, 64, 1, ["a", "b", "c"]);
        var e = Assert.Throws<ArgumentException>(() => new TransferTrainer(Options(FreezeDepth.Backbone), network, input, new DatasetSplits("three", three, three)));
        Assert.Contains("10 outputs", e.Message);
        Assert.Contains("3 classes", e.Message);
    }

    [Fact]
    public void At_a_lower_size_the_mean_image_keeps_its_channel_averages_and_the_final_pool_becomes_global()
    {
        var full = OnnxNetworkTests.ImageNet.Value;
        var small = At64.Value;
        Assert.Equal(3 * 64 * 64, small.Preprocessing.Mean.Length);
        var (fullMean, _) = full.Preprocessing.ToMetadataScale();
        var (smallMean, _) = small.Preprocessing.ToMetadataScale();
        for (int c = 0; c < 3; c++) Assert.Equal(fullMean[c], smallMean[c], 3);
        Assert.DoesNotContain(small.Graph.Graph.Node, n => n.OpType == "AveragePool");
        Assert.Single(small.Graph.Graph.Node, n => n.OpType == "GlobalAveragePool");
        Assert.Same(full, BackboneResize.To(full, 224));
    }
}
