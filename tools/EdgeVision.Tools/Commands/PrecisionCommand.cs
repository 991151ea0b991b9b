using System.Globalization;
using EdgeVision.Quantization;
using EdgeVision.Tools.Cli;
using Google.Protobuf;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary>
/// <c>edgevision precision</c>: fp32, int8 (each calibration method) and fp16 variants of one model side by
/// side — file size, top-1 on the test split, images per second at batch 1 and 8 on the CPU provider.
/// </summary>
public sealed class PrecisionCommand : IToolCommand
{
    public string Name => "precision";
    public string Summary => "size, top-1 and img/s of a model as fp32, int8 (minmax/percentile/entropy) and fp16";
    public string Usage => """
        edgevision precision --model m.onnx --data fashion-mnist|DIR [--calibration-size 512] [--percentile 99.99]
                             [--test-size N] [--seconds 3] [--save-dir DIR] [--docs docs]

          --model             fp32 contract model
          --data              calibration (train split) and test images, as for quantize
          --test-size         test images for top-1 (default: the whole test split; 0 skips accuracy)
          --seconds           measuring time per variant and batch size (default 3)
          --save-dir          also write the variants there (NAME.int8-METHOD.onnx, NAME.fp16.onnx)
          --docs              append/replace the table in DIR/RESULTS.md and DIR/BENCHMARKS.md (default: don't)
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        string modelPath = args.RequiredString("model");
        string data = args.RequiredString("data");
        int calibrationSize = args.Int("calibration-size", 512, 1, QuantizationSettings.MaxCalibrationSize);
        double percentile = args.Double("percentile", 99.99, 50, 100);
        int? testSize = args.Has("test-size") ? args.Int("test-size", 0, 0) : null;
        double seconds = args.Double("seconds", 3, 0.1, 600);
        string? saveDir = args.String("save-dir");
        string? docs = args.String("docs");
        args.EnsureAllUsed();

        var model = ContractModel.Load(modelPath);
        var calibration = DatasetSource.Calibration(data);
        var test = testSize == 0 ? null : DatasetSource.Test(data);
        if (test is not null)
        {
            try
            {
                LabelMap.Create(test.Classes, model.Metadata.Labels);
            }
            catch (InvalidDataException e)
            {
                AnsiConsole.MarkupLine($"[yellow]top-1 not measured:[/] {Markup.Escape(e.Message)}");
                test = null;
            }
        }

        var settings = new QuantizationSettings { CalibrationSize = calibrationSize, Percentile = percentile };
        CalibratedModel calibrated = null!;
        AnsiConsole.Progress().Start(ctx =>
        {
            int count = Math.Min(calibrationSize, calibration.Count);
            var task = ctx.AddTask($"calibrating on {count} images of {calibration.Name}", maxValue: count);
            calibrated = CalibratedModel.Calibrate(model, calibration, settings, progress: new Progress<int>(n => task.Value = n), cancellationToken: cancellationToken);
            task.Value = count;
        });

        var variants = new List<(string Name, Onnx.Proto.ModelProto Model)> { ("fp32", model.Model) };
        foreach (var method in Enum.GetValues<CalibrationMethod>())
            variants.Add(($"int8 {method.Name()}", calibrated.ToInt8(settings with { Method = method })));
        variants.Add(("fp16", HalfPrecision.Convert(model)));

        var rows = new List<PrecisionRow>();
        string baseName = Path.GetFileNameWithoutExtension(modelPath);
        foreach (var (name, proto) in variants)
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[] bytes = proto.ToByteArray();
            var contract = ContractModel.From(proto, $"{baseName} ({name})");
            double? top1 = null;
            int tested = 0;
            if (test is not null)
            {
                var r = QuantizeCommand.Evaluate(bytes, contract, test, testSize, name, cancellationToken);
                top1 = r.Top1;
                tested = r.Total;
            }
            ThroughputMeter.Measurement b1 = null!, b8 = null!;
            AnsiConsole.Status().Start($"{name}: measuring img/s", _ =>
            {
                b1 = ThroughputMeter.Measure(bytes, contract, test ?? calibration, 1, seconds);
                b8 = ThroughputMeter.Measure(bytes, contract, test ?? calibration, 8, seconds);
            });
            rows.Add(new PrecisionRow(name, bytes.LongLength, top1, tested, b1.ImagesPerSecond, b8.ImagesPerSecond));
            if (saveDir is not null && name != "fp32")
            {
                var withTop1 = top1 is { } t ? ContractModel.WithMetadata(proto, contract.Metadata with { Top1 = t }) : proto;
                ModelFiles.SaveAtomic(withTop1, Path.Combine(saveDir, $"{baseName}.{name.Replace(' ', '-')}.onnx"));
            }
        }

        var table = new Table().Title($"{Markup.Escape(baseName)} ({Markup.Escape(model.Metadata.Architecture)} {model.Signature.Width}×{model.Signature.Height}) on the CPU provider");
        foreach (string column in new[] { "variant", "size", "top-1", "img/s b1", "img/s b8", "×fp32 b8" })
            table.AddColumn(column == "variant" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        var fp32Row = rows[0];
        foreach (var r in rows)
        {
            table.AddRow(r.Variant, r.SizeText, r.Top1Text, PrecisionRow.Rate(r.ImagesPerSecondBatch1), PrecisionRow.Rate(r.ImagesPerSecondBatch8),
                (r.ImagesPerSecondBatch8 / fp32Row.ImagesPerSecondBatch8).ToString("0.00", CultureInfo.InvariantCulture) + "×");
        }
        AnsiConsole.Write(table);

        if (docs is not null)
        {
            string command = "edgevision precision " + string.Join(' ', Environment.GetCommandLineArgs().Skip(2).Where(a => a != "--docs" && a != docs));
            string markdown = PrecisionTable.Markdown($"{baseName} ({model.Metadata.Architecture} {model.Signature.Width}×{model.Signature.Height})", rows, PrecisionTable.Machine(), command, DateTimeOffset.UtcNow);
            foreach (string file in new[] { "RESULTS.md", "BENCHMARKS.md" })
            {
                PrecisionTable.Upsert(Path.Combine(docs, file), baseName + "-" + model.Metadata.Architecture, markdown);
                AnsiConsole.MarkupLine($"wrote the table to [green]{Markup.Escape(Path.Combine(docs, file))}[/]");
            }
        }
        return Task.FromResult(0);
    }
}
