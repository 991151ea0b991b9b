using EdgeVision.Core.Architecture;
using EdgeVision.Training.Checkpoints;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// A <see cref="NamedTensorFile"/> with magic "EVXFER": the <see cref="TransferProgressState"/> header, the network's
/// tensors under their state-dict names, the backbone optimizer's momentum prefixed "optim.backbone:" and the head's
/// "optim.head:". Checkpoints' JSON settings (NaN allowed: a not-yet-validated epoch has NaN validation numbers).
/// </summary>
public static class TransferProgressFile
{
    private static readonly NamedTensorFileKind Kind = new("EVXFER"u8.ToArray(), TransferProgressState.CurrentFormat, "transfer progress file");
    private const string BackbonePrefix = "optim.backbone:", HeadPrefix = "optim.head:";

    public static void Save(TransferProgress progress, string path)
    {
        var tensors = progress.Weights.Select(kv => (kv.Key, kv.Value))
            .Concat(progress.BackboneMomentum.Select(kv => (BackbonePrefix + kv.Key, kv.Value)))
            .Concat(progress.HeadMomentum.Select(kv => (HeadPrefix + kv.Key, kv.Value)))
            .ToList();
        NamedTensorFile.Save(path, Kind, progress.State, CheckpointFile.Json, tensors);
    }

    public static TransferProgress Load(string path)
    {
        var (state, tensors) = NamedTensorFile.Load<TransferProgressState>(path, Kind, CheckpointFile.Json);
        if (state.Fingerprint is null || state.History is null || state.EpochsDone < 1 || state.History.Count != state.EpochsDone)
            throw new InvalidDataException($"{path}: corrupt transfer progress file (epochs done {state.EpochsDone}, {state.History?.Count ?? 0} history rows)");
        var weights = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var backbone = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var head = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name.StartsWith(BackbonePrefix, StringComparison.Ordinal)) backbone[name[BackbonePrefix.Length..]] = tensor;
            else if (name.StartsWith(HeadPrefix, StringComparison.Ordinal)) head[name[HeadPrefix.Length..]] = tensor;
            else weights[name] = tensor;
        }
        return new TransferProgress(state, weights, backbone, head);
    }
}
