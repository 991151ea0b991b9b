using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Lesion;
using EdgeVision.Training.Experiments;

namespace EdgeVision.Tools.Experiments;

/// <summary>
/// <see cref="LesionStudy"/> on an exported contract model instead of a checkpoint: each block removed from the
/// ONNX graph (<see cref="BlockLesion"/>) and the lesioned model scored in ONNX Runtime the way the daemon runs it.
/// </summary>
public static class OnnxLesionStudy
{
    public static LesionResult Run(string path, IImageDataset test, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var model = OnnxModelFile.Load(path);
        var plan = BlockLesion.PlanOf(model, path);
        double intact = Score(model, path, test, cancellationToken);
        progress?.Report($"{plan.Name} ({Path.GetFileName(path)}): intact top-1 {intact:P2}");
        var rows = new List<LesionRow>();
        foreach (var block in plan.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double? top1 = block.CanBeRemoved ? Score(BlockLesion.Remove(model, block, path), $"{path} without {block.Name}", test, cancellationToken) : null;
            rows.Add(new LesionRow(block.Index, block.Name, block.Downsampling, top1));
            progress?.Report($"{plan.Name}: without {block.Name}{(block.Downsampling ? " (downsampling)" : "")}: {(top1 is { } t ? t.ToString("P2") : "cannot be removed")}");
        }
        return new LesionResult(plan.Name + " (onnx)", intact, rows); // "(onnx)": a table may hold the checkpoint of the same net too
    }

    private static double Score(Onnx.Proto.ModelProto model, string name, IImageDataset test, CancellationToken cancellationToken) =>
        ModelEvaluator.Evaluate(OnnxModelFile.ToBytes(model), name, test, batch: 64, cancellationToken: cancellationToken).Top1;
}
