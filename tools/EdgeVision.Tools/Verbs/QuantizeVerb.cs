using System.CommandLine;
using EdgeVision.Quantization;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision quantize</c>: its options; <see cref="QuantizeCommand"/> does the work.</summary>
public sealed class QuantizeVerb : Command
{
    private readonly Option<string> _model = CliOptions.Required("--model", "fp32 contract model to convert", "in.onnx");
    private readonly Option<string?> _data = CliOptions.OptionalString("--data",
        "calibration images (train split; test split for top-1): fashion-mnist, fashion-mnist:DIR or a directory of IDX files, an image " +
        "folder DIR/train/<class>/*.jpg (+ DIR/test or DIR/val), or the daemon's capture folder DIR/<class>/*.jpg", "fashion-mnist|DIR");
    private readonly Option<bool> _fp16 = CliOptions.Flag("--fp16", "float16 weights and activations instead (for GPU providers)");
    private readonly Option<string> _method = CliOptions.String("--method", "calibration method", "entropy", "minmax|percentile|entropy");
    private readonly Option<double> _percentile = CliOptions.Double("--percentile", "for --method percentile: percentile of |x| kept", 99.99, 50, 100);
    private readonly Option<int> _calibrationSize = CliOptions.Int("--calibration-size", "images used for calibration, spread evenly over the split",
        512, 1, QuantizationSettings.MaxCalibrationSize);
    private readonly Option<int?> _testSize = CliOptions.OptionalInt("--test-size", "test images for top-1 (default: the whole test split)", 1);
    private readonly Option<string?> _out = CliOptions.OptionalString("--out", "output file (default: in.int8.onnx or in.fp16.onnx next to the input)", "out.onnx");

    public QuantizeVerb() : base("quantize", """
        calibrated INT8 (QDQ) or FP16 variant of a model, with its measured top-1
          edgevision quantize --model in.onnx --data fashion-mnist|DIR [--method entropy] [--percentile 99.99] [--calibration-size 512] [--test-size N] [--out out.onnx]
          edgevision quantize --model in.onnx --fp16 [--data fashion-mnist|DIR] [--out out.onnx]
        """)
    {
        foreach (Option option in new Option[] { _model, _data, _fp16, _method, _percentile, _calibrationSize, _testSize, _out }) Add(option);
        _method.CompletionSources.Add("minmax", "percentile", "entropy");
        Validators.Add(r =>
        {
            bool fp16 = r.GetValue(_fp16);
            if (!fp16 && !r.IsGiven(_data)) r.AddError("--data is required for int8 calibration (or give --fp16)");
            if (fp16 && (r.IsGiven(_method) || r.IsGiven(_calibrationSize) || r.IsGiven(_percentile)))
                r.AddError("--fp16 takes no calibration options (--method, --percentile, --calibration-size)");
        });
        SetAction((parse, ct) => Task.FromResult(QuantizeCommand.Run(Bind(parse), ct)));
    }

    public QuantizeArguments Bind(ParseResult parse)
    {
        CalibrationMethod method;
        try
        {
            method = CalibrationMethods.Parse(parse.GetValue(_method)!);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--method: " + e.Message);
        }
        return new(parse.GetValue(_model)!, parse.GetValue(_data), parse.GetValue(_fp16), method, parse.GetValue(_percentile),
            parse.GetValue(_calibrationSize), parse.GetValue(_testSize), parse.GetValue(_out));
    }
}

/// <summary>What <c>edgevision quantize</c> was asked; <see cref="Data"/> is null only with <see cref="Fp16"/>.</summary>
public sealed record QuantizeArguments(string Model, string? Data, bool Fp16, CalibrationMethod Method, double Percentile, int CalibrationSize, int? TestSize, string? Out);
