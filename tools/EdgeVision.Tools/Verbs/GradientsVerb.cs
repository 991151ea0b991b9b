using System.CommandLine;
using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Experiments;
using EdgeVision.Training.Experiments;
using EdgeVision.Training.Runs;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision experiment gradients</c>: its options; <see cref="GradientsExperiment"/> does the work.</summary>
public sealed class GradientsVerb : Command
{
    private readonly Option<string> _out = CliOptions.Required("--out", "writes gradients.md, gradients.png and each run's one-epoch checkpoint under OUT/<arch>", "DIR");
    private readonly Option<string> _data = CliOptions.String("--data", "fashion-mnist or any --data that train takes", DataLocation.FashionMnistName, "fashion-mnist|DIR");
    private readonly Option<int> _subset = CliOptions.Int("--subset", "first N training images (0: all)", 5000, 0, int.MaxValue);
    private readonly Option<int> _probe = CliOptions.Int("--probe", "images in the measured batch (from the test split)", 256, 1, 4096);
    private readonly Option<int> _threads = CliOptions.Int("--threads", "TorchSharp intra-op threads (0: all cores)", 0, 0, 256);
    private readonly ExperimentRecipe _recipe;

    public GradientsVerb() : base("gradients", """
        per-layer gradient norm at initialisation and after one epoch (of an --epochs budget), one fixed batch
          edgevision experiment gradients --out runs/gradients [--archs plain20,plain56,resnet20,resnet56] [--subset 5000]
        """)
    {
        Add(_out);
        Add(_data);
        Add(_subset);
        Add(_probe);
        Add(_threads);
        _recipe = new ExperimentRecipe(this, defaultEpochs: 10, DegradationRuns.DefaultArchitectures, "architectures to measure");
        SetAction((parse, ct) => Task.FromResult(GradientsExperiment.Run(Bind(parse), ct)));
    }

    public GradientsArguments Bind(ParseResult parse) => new(parse.GetValue(_out)!, parse.GetValue(_data)!, parse.GetValue(_subset), parse.GetValue(_probe),
        parse.GetValue(_threads), _recipe.Architectures(parse), _recipe.Bind(parse));
}

/// <summary>What <c>edgevision experiment gradients</c> was asked.</summary>
public sealed record GradientsArguments(string Out, string Data, int Subset, int Probe, int Threads, IReadOnlyList<string> Archs, TrainingOptions Recipe);
