using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Lesion;
using EdgeVision.Onnx.Proto;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Model;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests.Experiments;

/// <summary>
/// A block removed from the exported ONNX graph must compute what the TorchSharp network computes with that block's
/// <see cref="ResNetBlock.Removed"/> set: the same lesion on the deployed file (BN folded, preprocessing fused).
/// </summary>
public sealed class OnnxLesionTests
{
    private const int Images = 6;
    private const int Size = 28;
    private static readonly NetworkInput Input = new(ColorMode.Grey, [0.3f], [0.35f]);

    [Theory]
    [InlineData("resnet20")]         // identity and option A (subsample + zero pad) shortcuts
    [InlineData("resnet20b")]        // projections where the shape changes
    [InlineData("preact_resnet20")]  // no ReLU after the sum
    [InlineData("plain20")]          // the block's layers become the identity where the shape allows
    public void Every_block_removed_from_the_onnx_graph_matches_the_network_with_that_block_removed(string architecture)
    {
        byte[] pixels = GreyPixels(architecture.Length);
        torch.random.manual_seed(11);
        using var network = new ResNetNetwork(ResNetZoo.Create(architecture, 1, 10));
        ParityTests.TrainTwoSteps(network, Input, pixels, Images, Size); // BN statistics and weights away from their initial values
        network.eval();
        var model = Export(network, architecture);
        var plan = BlockLesion.PlanOf(model, architecture);
        Assert.Equal(network.Blocks.Count, plan.Blocks.Count);

        int removed = 0;
        foreach (var block in network.Blocks.Where(b => b.CanBeRemoved))
        {
            block.Removed = true;
            float[] expected = Probabilities(network, pixels);
            block.Removed = false;
            var lesioned = BlockLesion.Remove(model, plan.Blocks[block.Plan.Index], architecture);
            float[] actual = Run(lesioned, pixels);
            float maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDiff <= 1e-4f, $"{architecture} without {block.Plan.Name}: max |ΔP| = {maxDiff:E2}");
            Assert.True(lesioned.Graph.Node.Count < model.Graph.Node.Count, $"{block.Plan.Name}: the removed branch's nodes are still in the graph");
            removed++;
        }
        Assert.Equal(architecture == "plain20" ? 7 : 9, removed); // plain20's two downsampling blocks have no path left

        // The lesion changed something (the test is not comparing the intact model with itself; logits, because an
        // untrained plain net's probabilities are nearly uniform), and left the original model as it was.
        float[] intact = Run(model, pixels, ModelContract.LogitsName);
        float change = intact.Zip(Run(BlockLesion.Remove(model, plan.Blocks[4], architecture), pixels, ModelContract.LogitsName), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(change > 1e-3f, $"{architecture}: removing {plan.Blocks[4].Name} changed the logits by only {change:E2}");
        Assert.Equal(intact, Run(model, pixels, ModelContract.LogitsName));
    }

    [Fact]
    public void A_plain_block_that_changes_shape_is_refused_with_its_name()
    {
        torch.random.manual_seed(11);
        using var network = new ResNetNetwork(ResNetZoo.Create("plain20", 1, 10));
        network.eval();
        var model = Export(network, "plain20");
        var downsampling = BlockLesion.PlanOf(model, "m.onnx").Blocks.First(b => b.Stride == 2);
        var e = Assert.Throws<ArgumentException>(() => BlockLesion.Remove(model, downsampling, "m.onnx"));
        Assert.Contains(downsampling.Name, e.Message);
    }

    [Fact]
    public void A_model_that_is_not_a_zoo_resnet_or_not_fp32_is_refused_with_what_it_is()
    {
        torch.random.manual_seed(11);
        using var network = new ResNetNetwork(ResNetZoo.Create("resnet20", 1, 10));
        network.eval();
        var model = Export(network, "resnet20");

        var quantized = model.Clone();
        quantized.MetadataProps.Single(p => p.Key == MetadataKeys.Precision).Value = "int8";
        Assert.Contains("int8", Assert.Throws<ModelContractException>(() => BlockLesion.PlanOf(quantized, "q.onnx")).Message);

        var dense = model.Clone();
        dense.MetadataProps.Single(p => p.Key == MetadataKeys.Architecture).Value = "densenet_bc_40_12";
        Assert.Contains("'densenet_bc_40_12' is not a ResNet", Assert.Throws<ModelContractException>(() => BlockLesion.PlanOf(dense, "d.onnx")).Message);

        // A graph whose value names are not the exporter's (a foreign ONNX ResNet relabelled) names the missing block.
        var renamed = model.Clone();
        foreach (var node in renamed.Graph.Node)
            for (int i = 0; i < node.Output.Count; i++) node.Output[i] = node.Output[i].Replace("layer1.0.add", "x", StringComparison.Ordinal);
        Assert.Contains("layer1.0", Assert.Throws<ModelContractException>(() => BlockLesion.PlanOf(renamed, "r.onnx")).Message);
    }

    private static ModelProto Export(ResNetNetwork network, string architecture)
    {
        var state = new Checkpoints.CheckpointState
        {
            Options = new(), Architecture = architecture, InputChannels = 1, Labels = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(),
            Color = ColorMode.Grey, Mean = Input.Mean, Std = Input.Std, InputHeight = Size, InputWidth = Size, Dataset = "synthetic",
        };
        var plan = ResNetPlan.Build(network.Spec);
        return ContractModelFactory.Create(plan, NetworkWeights.ToWeightSource(network), CheckpointMetadata.Create(state, null, null, DateTimeOffset.UnixEpoch));
    }

    // Grey images as the daemon gets them: BGR with B = G = R.
    private static byte[] GreyPixels(int seed)
    {
        var pixels = new byte[Images * Size * Size * 3];
        new Random(seed).NextBytes(pixels);
        for (int p = 0; p < pixels.Length; p += 3) pixels[p + 1] = pixels[p + 2] = pixels[p];
        return pixels;
    }

    private static float[] Probabilities(ResNetNetwork network, byte[] pixels)
    {
        using var _ = torch.no_grad();
        using var scope = NewDisposeScope();
        var batch = torch.tensor(pixels, [Images, Size, Size, 3], dtype: ScalarType.Byte);
        return nn.functional.softmax(network.forward(Input.ToNetwork(batch)), 1).data<float>().ToArray();
    }

    private static float[] Run(ModelProto model, byte[] pixels, string output = ModelContract.ProbabilitiesName)
    {
        using var session = new InferenceSession(OnnxModelFile.ToBytes(model));
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [Images, Size, Size, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [ModelContract.InputName], [input], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
