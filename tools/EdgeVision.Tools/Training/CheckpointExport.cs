using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Training.Checkpoints;

namespace EdgeVision.Tools.Training;

/// <summary>Checkpoint → contract model (BN folded, preprocessing fused) through EdgeVision.Onnx.</summary>
public static class CheckpointExport
{
    /// <summary>Writes <paramref name="path"/> atomically; accuracy defaults to the validation numbers of the checkpoint's own weights.</summary>
    public static void Export(Checkpoint checkpoint, string path, double? top1 = null, double? top5 = null, ResizePolicy? resize = null)
    {
        var state = checkpoint.State;
        var (ownTop1, ownTop5) = CheckpointMetadata.ValidatedAccuracy(state);
        top1 ??= ownTop1;
        top5 ??= ownTop5;
        var metadata = CheckpointMetadata.Create(state, top1, top5, resize: resize);
        var model = ContractModelFactory.Create(checkpoint.Plan, new DictionaryWeightSource(checkpoint.Weights), metadata);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        OnnxModelFile.Save(model, path);
    }
}
