using EdgeVision.Data;
using EdgeVision.Tools.Plots;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Model;
using EdgeVision.Training.Runs;
using Spectre.Console;

namespace EdgeVision.Tools.Training;

/// <summary>The files a run leaves beside its checkpoints: metrics.csv, results.png, confusion_matrix.png, best.onnx.</summary>
public static class RunReport
{
    public static void WriteCurves(CheckpointState state, string outDir)
    {
        if (state.History.Count == 0) return;
        MetricsCsv.Write(state.History, Path.Combine(outDir, "metrics.csv"));
        TrainingCurves.Save(state.History, Path.Combine(outDir, "results.png"));
    }

    public static void Finish(TrainingOutcome outcome, DatasetSplits splits, string outDir)
    {
        var best = CheckpointFile.Load(outcome.BestCheckpoint);
        using var network = ZooNetworks.Create(best.Plan);
        NetworkWeights.Restore(network, best.Weights);
        var input = new NetworkInput(best.State.Color, best.State.Mean, best.State.Std);
        var evaluation = Trainer.Evaluate(network, input, splits.Validation);
        var matrix = ConfusionMatrixPlot.Count(evaluation.Labels, evaluation.Predictions, best.State.Labels.Count);
        ConfusionMatrixPlot.Save(matrix, best.State.Labels, Path.Combine(outDir, "confusion_matrix.png"),
            $"{best.State.Architecture} epoch {best.State.BestEpoch}: top-1 {evaluation.Top1 * 100:F2}% on {splits.Validation.Name}");
        string onnx = Path.Combine(outDir, "best.onnx");
        CheckpointExport.Export(best, onnx, evaluation.Top1, evaluation.Top5);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"best epoch {best.State.BestEpoch}: top-1 {evaluation.Top1 * 100:F2}%, top-5 {evaluation.Top5 * 100:F2}% on {splits.Validation.Name} ({evaluation.Labels.Length} images)"));
        AnsiConsole.MarkupLine(Markup.Escape($"wrote {outDir}/{{best.ckpt,last.ckpt,metrics.csv,results.png,confusion_matrix.png,best.onnx}}"));
    }
}
