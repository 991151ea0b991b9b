using System.CommandLine;
using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Experiments;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision experiment lesion</c>: its options; <see cref="LesionExperiment"/> does the work.</summary>
public sealed class LesionVerb : Command
{
    private readonly Option<string[]?> _models = Models();
    private readonly Option<string> _out = CliOptions.Required("--out", "writes lesion.md and lesion.png", "DIR");
    private readonly Option<string> _data = CliOptions.String("--data", "the test split to score on", DataLocation.FashionMnistName, "fashion-mnist|DIR");
    private readonly Option<int> _limit = CliOptions.Int("--limit", "first N test images (0: all)", 0, 0, int.MaxValue);
    private readonly Option<int> _threads = CliOptions.Int("--threads", "TorchSharp intra-op threads (0: all cores)", 0, 0, 256);

    public LesionVerb() : base("lesion", """
        test accuracy with each single block removed (residual branch → zero; a plain block → identity where shapes allow)
          edgevision experiment lesion --models runs/degradation/resnet56/last.ckpt,runs/degradation/plain56/last.ckpt --out runs/lesion
        """)
    {
        Add(_models);
        Add(_out);
        Add(_data);
        Add(_limit);
        Add(_threads);
        SetAction((parse, ct) => Task.FromResult(LesionExperiment.Run(Bind(parse), ct)));
    }

    public LesionArguments Bind(ParseResult parse) =>
        new(parse.GetValue(_models)!, parse.GetValue(_out)!, parse.GetValue(_data)!, parse.GetValue(_limit), parse.GetValue(_threads));

    private static Option<string[]?> Models()
    {
        var option = CliOptions.OptionalList("--models", "checkpoints of `train` or `experiment degradation`, or fp32 models they exported (a residual net and its plain twin); an .onnx is lesioned in its graph and scored in ONNX Runtime");
        option.Required = true;
        option.HelpName = "A.ckpt,B.onnx";
        option.Validators.Add(r =>
        {
            foreach (string m in r.GetValueOrDefault<string[]?>() ?? [])
            {
                if (!LesionExperiment.IsCheckpoint(m) && !LesionExperiment.IsOnnx(m))
                    r.AddError($"--models: '{m}' is neither a checkpoint (.ckpt) nor an exported model (.onnx)");
                else if (!File.Exists(m)) r.AddError($"--models: '{m}' does not exist");
            }
        });
        return option;
    }
}

/// <summary>What <c>edgevision experiment lesion</c> was asked; every model is an existing .ckpt or .onnx.</summary>
public sealed record LesionArguments(IReadOnlyList<string> Models, string Out, string Data, int Limit, int Threads);
