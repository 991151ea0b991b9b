using System.Globalization;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Quantization;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;
using Google.Protobuf;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision quantize</c>: a calibrated int8 (QDQ) or a float16 variant of a contract model.</summary>
public static class QuantizeCommand
{
    public static int Run(QuantizeArguments args, CancellationToken cancellationToken)
    {
        var (modelPath, data, fp16, method, percentile, calibrationSize, testSize, outPath) =
            (args.Model, args.Data, args.Fp16, args.Method, args.Percentile, args.CalibrationSize, args.TestSize, args.Out);

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
        return 0;
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
