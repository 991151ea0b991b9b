using System.Globalization;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Quantization;
using EdgeVision.Tools.Cli;
using Google.Protobuf;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision quantize</c>: a calibrated int8 (QDQ) or a float16 variant of a contract model.</summary>
public sealed class QuantizeCommand : IToolCommand
{
    public string Name => "quantize";
    public string Summary => "calibrated INT8 (QDQ) or FP16 variant of a model, with its measured top-1";
    public string Usage => """
        edgevision quantize --model in.onnx --data fashion-mnist|DIR [--method entropy] [--percentile 99.99]
                            [--calibration-size 512] [--test-size N] [--out out.onnx]
        edgevision quantize --model in.onnx --fp16 [--data fashion-mnist|DIR] [--out out.onnx]

          --model             fp32 contract model to convert
          --data              calibration images (train split; test split for top-1): fashion-mnist,
                              fashion-mnist:DIR or a directory of IDX files, an image folder
                              DIR/train/<class>/*.jpg (+ DIR/test or DIR/val), or the daemon's capture
                              folder DIR/<class>/*.jpg
          --method            minmax | percentile | entropy (default entropy)
          --percentile        for --method percentile: percentile of |x| kept (default 99.99)
          --calibration-size  images used for calibration, spread evenly over the split (default 512)
          --test-size         test images for top-1 (default: the whole test split)
          --fp16              float16 weights and activations instead (for GPU providers)
          --out               output file (default: in.int8.onnx or in.fp16.onnx next to the input)
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        string modelPath = args.RequiredString("model");
        string? data = args.String("data");
        bool fp16 = args.Flag("fp16");
        string methodText = args.String("method", "entropy");
        double percentile = args.Double("percentile", 99.99, 50, 100);
        int calibrationSize = args.Int("calibration-size", 512, 1, QuantizationSettings.MaxCalibrationSize);
        int? testSize = args.Has("test-size") ? args.Int("test-size", 0, 1) : null;
        string? outPath = args.String("out");
        args.EnsureAllUsed();

        CalibrationMethod method;
        try
        {
            method = CalibrationMethods.Parse(methodText);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--method: " + e.Message);
        }
        if (!fp16 && data is null) throw new UsageException("--data is required for int8 calibration (or give --fp16)");
        if (fp16 && (args.Has("method") || args.Has("calibration-size") || args.Has("percentile")))
            throw new UsageException("--fp16 takes no calibration options (--method, --percentile, --calibration-size)");

        var model = ContractModel.Load(modelPath);
        outPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, Path.GetFileNameWithoutExtension(modelPath) + (fp16 ? ".fp16.onnx" : ".int8.onnx"));
        var test = data is null ? null : DatasetSource.Test(data);
        SkippedImagesReport.Print(test);

        Onnx.Proto.ModelProto result;
        if (fp16)
        {
            result = HalfPrecision.Convert(model);
        }
        else
        {
            var settings = new QuantizationSettings { Method = method, Percentile = percentile, CalibrationSize = calibrationSize };
            settings.Validate();
            var calibration = DatasetSource.Calibration(data!);
            SkippedImagesReport.Print(calibration);
            CalibratedModel calibrated = null!;
            AnsiConsole.Progress().Start(ctx =>
            {
                int count = Math.Min(calibrationSize, calibration.Count);
                var task = ctx.AddTask($"calibrating on {count} images of {calibration.Name}", maxValue: count);
                calibrated = CalibratedModel.Calibrate(model, calibration, settings,
                    progress: new Progress<int>(n => task.Value = n), cancellationToken: cancellationToken);
                task.Value = count;
            });
            result = calibrated.ToInt8(settings);
            AnsiConsole.MarkupLine($"[grey]{calibrated.Plan.Activations.Count} activations, {calibrated.Plan.WeightedNodes.Count} weighted layers quantized ({Markup.Escape(settings.Describe(calibrated.Images, calibrated.Dataset))})[/]");
        }

        if (test is not null)
        {
            var fp32 = Evaluate(model.Model.ToByteArray(), model, test, testSize, "fp32", cancellationToken);
            var variant = ContractModel.From(result, outPath);
            var quantized = Evaluate(result.ToByteArray(), variant, test, testSize, fp16 ? "fp16" : "int8", cancellationToken);
            result = ContractModel.WithMetadata(result, variant.Metadata with { Top1 = quantized.Top1, Dataset = variant.Metadata.Dataset ?? test.Name });
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"top-1 on {quantized.Total} images of {Markup.Escape(test.Name)}: fp32 {fp32.Top1:P2}, {(fp16 ? "fp16" : "int8")} {quantized.Top1:P2} ({(quantized.Top1 - fp32.Top1) * 100:+0.00;-0.00;0.00} pt), agreement {ModelEvaluator.Agreement(fp32.Predictions, quantized.Predictions):P2}"));
        }
        OnnxModelFile.Save(result, outPath);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote [green]{Markup.Escape(outPath)}[/] ({new FileInfo(outPath).Length / 1024.0:0.0} KiB, fp32 {new FileInfo(modelPath).Length / 1024.0:0.0} KiB)"));
        return Task.FromResult(0);
    }

    internal static ModelEvaluator.Result Evaluate(byte[] bytes, ContractModel model, IImageDataset test, int? limit, string label, CancellationToken ct)
    {
        ModelEvaluator.Result result = null!;
        int total = Math.Min(limit ?? test.Count, test.Count);
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"{label}: top-1 on {total} images", maxValue: total);
            result = ModelEvaluator.Evaluate(bytes, model.Source, test, limit, progress: new Progress<int>(n => task.Value = n), cancellationToken: ct);
            task.Value = total;
        });
        return result;
    }
}
