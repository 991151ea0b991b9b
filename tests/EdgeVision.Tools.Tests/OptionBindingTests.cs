using System.CommandLine;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;

namespace EdgeVision.Tools.Tests;

/// <summary>What a command line binds to, parsed by the real command tree: defaults that depend on other options, and the option shapes.</summary>
public sealed class OptionBindingTests
{
    private static (T Verb, ParseResult Parse) Parse<T>(params string[] args) where T : Command
    {
        var parse = EdgeVisionCli.Build().Parse(args);
        Assert.Empty(parse.Errors);
        return ((T)parse.CommandResult.Command, parse);
    }

    private static TrainArguments Scratch(params string[] args)
    {
        var (verb, parse) = Parse<TrainVerb>(["train", "--out", "runs/x", .. args]);
        return verb.BindScratch(parse);
    }

    [Fact]
    public void Train_from_scratch_gets_the_scratch_defaults()
    {
        var train = Scratch();
        Assert.Equal(64, train.ImageSize);
        Assert.Equal(("resnet20", 30, 128, 0.1, 5e-4), (train.Options!.Architecture, train.Options.Epochs, train.Options.BatchSize, train.Options.LearningRate, train.Options.WeightDecay));
        Assert.Equal(2, train.Options.Augmentation.CropPadding);
    }

    [Fact]
    public void Train_with_pretrained_imagenet_gets_the_backbones_size_224_and_the_transfer_defaults()
    {
        var (verb, parse) = Parse<TrainVerb>("train", "--pretrained", "imagenet", "--data", "runs/captures", "--out", "runs/x");
        var transfer = verb.BindTransfer(parse);
        Assert.Equal(224, transfer.ImageSize);
        Assert.Equal(("resnet18", 10, 32, 0.01, 1e-4), (transfer.Arch, transfer.Options.Epochs, transfer.Options.BatchSize, transfer.Options.LearningRate, transfer.Options.WeightDecay));
        Assert.Equal(0, transfer.Options.Augmentation.CropPadding);
    }

    [Fact]
    public void Train_with_a_pretrained_file_keeps_the_files_own_size_unless_imgsz_is_given()
    {
        var (verb, parse) = Parse<TrainVerb>("train", "--pretrained", "backbone.onnx", "--out", "runs/x");
        Assert.Null(verb.BindTransfer(parse).ImageSize);
        (verb, parse) = Parse<TrainVerb>("train", "--pretrained", "backbone.onnx", "--imgsz", "96", "--out", "runs/x");
        Assert.Equal(96, verb.BindTransfer(parse).ImageSize);
    }

    [Fact]
    public void Resume_takes_the_checkpoints_folder_as_out_and_no_recipe()
    {
        var (verb, parse) = Parse<TrainVerb>("train", "--resume", "runs/a/last.ckpt");
        var train = verb.BindScratch(parse);
        Assert.Null(train.Options);
        Assert.Equal(Path.GetFullPath("runs/a"), train.Out);
    }

    [Theory]
    [InlineData(new string[0], 0.0, 1.0)]
    [InlineData(new[] { "--erasing" }, 0.5, 1.0)]
    [InlineData(new[] { "--erasing", "0.3" }, 0.3, 1.0)]
    [InlineData(new[] { "--erasing=0.3" }, 0.3, 1.0)]
    [InlineData(new[] { "--stochastic-depth", "--erasing" }, 0.5, 0.5)]
    [InlineData(new[] { "--stochastic-depth", "0.8", "--epochs", "3" }, 0.0, 0.8)]
    public void Optional_value_flags_mean_their_default_alone_and_the_value_given(string[] args, double erasing, double survival)
    {
        var options = Scratch(args).Options!;
        Assert.Equal(erasing, options.Augmentation.ErasingProbability);
        Assert.Equal(survival, options.FinalSurvivalProbability);
    }

    [Fact]
    public void A_bare_optional_value_flag_leaves_the_next_option_alone()
    {
        var options = Scratch("--erasing", "--epochs", "3").Options!;
        Assert.Equal((0.5, 3), (options.Augmentation.ErasingProbability, options.Epochs));
    }

    [Fact]
    public void Comma_separated_values_bind_to_their_items()
    {
        var train = Scratch("--mean", "0.485,0.456,0.406", "--std", "0.229, 0.224, 0.225");
        Assert.Equal([0.485f, 0.456f, 0.406f], Assert.IsType<float[]>(train.Mean));
        Assert.Equal([0.229f, 0.224f, 0.225f], Assert.IsType<float[]>(train.Std));
        var (eval, parse) = Parse<EvalVerb>("eval", "--model", "m.onnx", "--providers", "TensorRT,CUDA,CPU");
        Assert.Equal(["TensorRT", "CUDA", "CPU"], Assert.IsType<string[]>(eval.Bind(parse).Providers));
    }

    [Fact]
    public void Absent_list_options_are_null_so_the_verb_keeps_its_own_default()
    {
        var train = Scratch();
        Assert.Null(train.Mean);
        Assert.Null(train.Std);
        var (eval, parse) = Parse<EvalVerb>("eval", "--model", "m.onnx");
        Assert.Null(eval.Bind(parse).Providers);
    }

    [Fact]
    public void Bench_quick_changes_the_defaults_and_an_explicit_value_still_wins()
    {
        var (verb, parse) = Parse<BenchVerb>("bench");
        var full = verb.Bind(parse);
        Assert.Equal((5, 2048), (full.Runs, full.MatMulSize));
        Assert.Equal([1, 8], full.Batches);
        (verb, parse) = Parse<BenchVerb>("bench", "--quick", "--runs", "7");
        var quick = verb.Bind(parse);
        Assert.Equal((7, 256, true), (quick.Runs, quick.MatMulSize, quick.Quick));
        Assert.Equal([1, 2], quick.Batches);
    }
}
