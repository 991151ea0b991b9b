using System.CommandLine;
using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Experiments;
using EdgeVision.Training.Experiments;
using EdgeVision.Training.Runs;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision experiment degradation</c>: its options; <see cref="DegradationExperiment"/> does the work.</summary>
public sealed class DegradationVerb : Command
{
    private readonly Option<string> _out = CliOptions.Required("--out", "writes degradation.md (table) and degradation.png (Fig. 6 layout)", "DIR");
    private readonly Option<string> _data = CliOptions.String("--data", "fashion-mnist or any --data that train takes", DataLocation.FashionMnistName, "fashion-mnist|DIR");
    private readonly Option<int> _subset = CliOptions.Int("--subset", "first N training images (0: all)", 0, 0, int.MaxValue);
    private readonly Option<int> _testLimit = CliOptions.Int("--test-limit",
        "score the test error on the first N test images only (0: all; evaluation is a large share of a small run's time)", 0, 0, int.MaxValue);
    private readonly Option<int> _threads = CliOptions.Int("--threads", "TorchSharp intra-op threads (0: all cores)", 0, 0, 256);
    private readonly ExperimentRecipe _recipe;

    public DegradationVerb() : base("degradation", """
        plain and residual nets of two depths, one recipe; per-epoch training and test error
          edgevision experiment degradation --out runs/degradation [--archs plain20,plain56,resnet20,resnet56] [--epochs 10] [--subset N]
        """)
    {
        Add(_out);
        Add(_data);
        Add(_subset);
        Add(_testLimit);
        Add(_threads);
        _recipe = new ExperimentRecipe(this, defaultEpochs: 10, DegradationRuns.DefaultArchitectures,
            "architectures, each run in OUT/<arch>, resumable: run again to continue");
        SetAction((parse, ct) => Task.FromResult(DegradationExperiment.Run(Bind(parse), ct)));
    }

    public DegradationArguments Bind(ParseResult parse) => new(parse.GetValue(_out)!, parse.GetValue(_data)!, parse.GetValue(_subset), parse.GetValue(_testLimit),
        parse.GetValue(_threads), _recipe.Architectures(parse), _recipe.Bind(parse));
}

/// <summary>What <c>edgevision experiment degradation</c> was asked.</summary>
public sealed record DegradationArguments(string Out, string Data, int Subset, int TestLimit, int Threads, IReadOnlyList<string> Archs, TrainingOptions Recipe);
