using System.Globalization;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Quantization;
using EdgeVision.Tools.Cli;
using Google.Protobuf;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary>
/// <c>edgevision precision</c>: fp32, int8 (each calibration method) and fp16 variants of one model side by
/// side — file size, top-1 on the test split, images per second at batch 1 and 8 on the CPU provider (or --provider).
/// </summary>
public sealed class PrecisionCommand : IToolCommand
{
    public string Name => "precision";
    public string Summary => "size, top-1 and img/s of a model as fp32, int8 (minmax/percentile/entropy) and fp16";
    public string Usage => """
        edgevision precision --model m.onnx --data fashion-mnist|DIR [--calibration-size 512] [--percentile 99.99]
                             [--test-size N] [--seconds 2] [--rounds 3] [--save-dir DIR] [--docs docs]
                             [--provider CPU|CUDA|TensorRT]

          --model             fp32 contract model
          --data              calibration (train split) and test images, as for quantize
          --test-size         test images for top-1 (default: the whole test split; 0 skips accuracy)
          --seconds           measuring time per variant, batch size and round (default 2)
          --rounds            measuring rounds, each with fresh sessions in a shuffled order; each variant's
                              best round is reported (default 3)
          --save-dir          also write the variants there (NAME.int8-METHOD.onnx, NAME.fp16.onnx)
          --docs              append/replace the table in DIR/RESULTS.md and DIR/BENCHMARKS.md (default: don't)
          --provider          execution provider for img/s (default CPU); CUDA/TensorRT need the GPU build
                              (scripts/build-gpu.sh) and fail if the provider is unavailable; TensorRT builds
                              fp16 variants with fp16 and int8 (QDQ) variants with int8 enabled; top-1 stays on CPU
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        string modelPath = args.RequiredString("model");
        string data = args.RequiredString("data");
        int calibrationSize = args.Int("calibration-size", 512, 1, QuantizationSettings.MaxCalibrationSize);
        double percentile = args.Double("percentile", 99.99, 50, 100);
        int? testSize = args.Has("test-size") ? args.Int("test-size", 0, 0) : null;
        double seconds = args.Double("seconds", 2, 0.1, 600);
        int rounds = args.Int("rounds", 3, 1, 100);
        string? saveDir = args.String("save-dir");
        string? docs = args.String("docs");
        string providerText = args.String("provider") ?? "CPU";
        if (!EdgeVision.Inference.ExecutionProviders.TryNormalize(providerText, out string provider))
            throw new UsageException($"--provider must be one of {string.Join(", ", EdgeVision.Inference.ExecutionProviders.All)}, not '{providerText}'");
        args.EnsureAllUsed();

        var model = ContractModel.Load(modelPath);
        if (provider != "CPU")
        {
            // Fail before minutes of calibration, not after: a GPU provider this build or machine lacks.
            try
            {
                ProviderSessions.Create(model.Model.ToByteArray(), provider, "fp32").Dispose();
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException(e.Message);
            }
        }
        var calibration = DatasetSource.Calibration(data);
        var test = testSize == 0 ? null : DatasetSource.Test(data);
        SkippedImagesReport.Print(calibration);
        SkippedImagesReport.Print(test);
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

        var variants = PrecisionComparison.Variants(model, calibrated, settings);
        string baseName = Path.GetFileNameWithoutExtension(modelPath);
        var rows = PrecisionComparison.Measure(
            variants, test ?? calibration, new PrecisionComparison.Options { TestSize = testSize, Seconds = seconds, Rounds = rounds, Provider = provider },
            (variant, bytes, contract) =>
            {
                var result = test is null ? null : QuantizeCommand.Evaluate(bytes, contract, test, testSize, variant.Name, cancellationToken);
                if (saveDir is not null && variant.Name != "fp32")
                {
                    var proto = result is null ? variant.Model : ContractModel.WithMetadata(variant.Model, contract.Metadata with { Top1 = result.Top1 });
                    OnnxModelFile.Save(proto, Path.Combine(saveDir, $"{baseName}.{variant.Name.Replace(' ', '-')}.onnx"));
                }
                return result;
            },
            text => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]"),
            cancellationToken);

        var table = new Table().Title($"{Markup.Escape(baseName)} ({Markup.Escape(model.Metadata.Architecture)} {model.Signature.Width}×{model.Signature.Height}) on the {provider} provider");
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
            string markdown = PrecisionTable.Markdown($"{baseName} ({model.Metadata.Architecture} {model.Signature.Width}×{model.Signature.Height})", rows, PrecisionTable.Machine(), command, DateTimeOffset.UtcNow, provider);
            foreach (string file in new[] { "RESULTS.md", "BENCHMARKS.md" })
            {
                PrecisionTable.Upsert(Path.Combine(docs, file), baseName + "-" + model.Metadata.Architecture + (provider == "CPU" ? "" : "-" + provider), markdown);
                AnsiConsole.MarkupLine($"wrote the table to [green]{Markup.Escape(Path.Combine(docs, file))}[/]");
            }
        }
        return Task.FromResult(0);
    }
}
