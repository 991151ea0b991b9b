using System.CommandLine;
using EdgeVision.Inference;
using EdgeVision.Quantization;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision precision</c>: its options; <see cref="PrecisionCommand"/> does the work.</summary>
public sealed class PrecisionVerb : Command
{
    private readonly Option<string> _model = CliOptions.Required("--model", "fp32 contract model", "m.onnx");
    private readonly Option<string> _data = CliOptions.Required("--data", "calibration (train split) and test images, as for quantize", "fashion-mnist|DIR");
    private readonly Option<int> _calibrationSize = CliOptions.Int("--calibration-size", "images used for calibration", 512, 1, QuantizationSettings.MaxCalibrationSize);
    private readonly Option<double> _percentile = CliOptions.Double("--percentile", "the percentile variant's percentile of |x| kept", 99.99, 50, 100);
    private readonly Option<int?> _testSize = CliOptions.OptionalInt("--test-size", "test images for top-1 (default: the whole test split; 0 skips accuracy)", 0);
    private readonly Option<double> _seconds = CliOptions.Double("--seconds", "measuring time per variant, batch size and round", 2, 0.1, 600);
    private readonly Option<int> _rounds = CliOptions.Int("--rounds",
        "measuring rounds, each with fresh sessions in a shuffled order; each variant's best round is reported", 3, 1, 100);
    private readonly Option<string?> _saveDir = CliOptions.OptionalString("--save-dir", "also write the variants there (NAME.int8-METHOD.onnx, NAME.fp16.onnx)", "DIR");
    private readonly Option<string?> _docs = CliOptions.OptionalString("--docs", "append/replace the table in DIR/RESULTS.md and DIR/BENCHMARKS.md (default: don't)", "DIR");
    private readonly Option<string> _provider = Provider();

    public PrecisionVerb() : base("precision", """
        size, top-1 and img/s of a model as fp32, int8 (minmax/percentile/entropy) and fp16
          edgevision precision --model m.onnx --data fashion-mnist|DIR [--calibration-size 512] [--percentile 99.99] [--test-size N]
                               [--seconds 2] [--rounds 3] [--save-dir DIR] [--docs docs] [--provider CPU|CUDA|TensorRT]
        """)
    {
        foreach (Option option in new Option[] { _model, _data, _calibrationSize, _percentile, _testSize, _seconds, _rounds, _saveDir, _docs, _provider }) Add(option);
        SetAction((parse, ct) => Task.FromResult(PrecisionCommand.Run(Bind(parse), ct)));
    }

    public PrecisionArguments Bind(ParseResult parse) => new(parse.GetValue(_model)!, parse.GetValue(_data)!, parse.GetValue(_calibrationSize),
        parse.GetValue(_percentile), parse.GetValue(_testSize), parse.GetValue(_seconds), parse.GetValue(_rounds), parse.GetValue(_saveDir),
        parse.GetValue(_docs), parse.GetValue(_provider)!);

    /// <summary>Any spelling ExecutionProviders knows (cuda, TensorRT), normalized; anything else is an error listing them.</summary>
    private static Option<string> Provider()
    {
        var option = new Option<string>("--provider")
        {
            Description = "execution provider for img/s; CUDA/TensorRT need the GPU build (scripts/build-gpu.sh) and fail if the provider is " +
                "unavailable; TensorRT builds fp16 variants with fp16 and int8 (QDQ) variants with int8 enabled; top-1 stays on CPU",
            HelpName = string.Join('|', ExecutionProviders.All),
            DefaultValueFactory = _ => ExecutionProviders.Cpu,
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (ExecutionProviders.TryNormalize(text, out string provider)) return provider;
                r.AddError($"--provider must be one of {string.Join(", ", ExecutionProviders.All)}, not '{text}'");
                return "";
            },
        };
        option.CompletionSources.Add([.. ExecutionProviders.All]);
        return option;
    }
}

/// <summary>What <c>edgevision precision</c> was asked; <see cref="Provider"/> is normalized (CPU, CUDA, TensorRT).</summary>
public sealed record PrecisionArguments(string Model, string Data, int CalibrationSize, double Percentile, int? TestSize, double Seconds, int Rounds,
    string? SaveDir, string? Docs, string Provider);
