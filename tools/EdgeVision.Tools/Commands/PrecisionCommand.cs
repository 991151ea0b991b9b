using System.Globalization;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Quantization;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;
using Google.Protobuf;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary>
/// <c>edgevision precision</c>: fp32, int8 (each calibration method) and fp16 variants of one model side by
/// side — file size, top-1 on the test split, images per second at batch 1 and 8 on the CPU provider (or --provider).
/// </summary>
public static class PrecisionCommand
{
    public static int Run(PrecisionArguments args, CancellationToken cancellationToken)
    {
        var (modelPath, data, calibrationSize, percentile, testSize) = (args.Model, args.Data, args.CalibrationSize, args.Percentile, args.TestSize);
        var (seconds, rounds, saveDir, docs, provider) = (args.Seconds, args.Rounds, args.SaveDir, args.Docs, args.Provider);

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
        return 0;
    }
}
