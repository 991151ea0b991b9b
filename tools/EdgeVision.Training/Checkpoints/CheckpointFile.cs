using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeVision.Core.Architecture;

namespace EdgeVision.Training.Checkpoints;

/// <summary>A checkpoint in memory: the run state, network weights (with BN statistics) and momentum buffers.</summary>
public sealed record Checkpoint(CheckpointState State, IReadOnlyDictionary<string, TensorData> Weights, IReadOnlyDictionary<string, TensorData> Momentum)
{
    /// <summary>The ResNet spec; throws for a checkpoint of another family (use <see cref="Plan"/>).</summary>
    public ResNetSpec Spec => ResNetZoo.Create(State.Architecture, State.InputChannels, State.Labels.Count);

    /// <summary>The network's plan, whatever its family.</summary>
    public INetworkPlan Plan => NetworkZoo.Create(State.Architecture, State.InputChannels, State.Labels.Count);
}

/// <summary>
/// Checkpoint file: a <see cref="NamedTensorFile"/> with magic "EVCKPT", the format version, the JSON header
/// (<see cref="CheckpointState"/>), then named float32 tensors (weights, then momentum prefixed "optim:").
/// Written to a temporary file and renamed, so a crash never leaves half a checkpoint.
/// </summary>
public static class CheckpointFile
{
    private static readonly NamedTensorFileKind Kind = new("EVCKPT"u8.ToArray(), CheckpointState.CurrentFormat, "checkpoint");
    private const string MomentumPrefix = "optim:";

    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(Checkpoint checkpoint, string path)
    {
        var tensors = checkpoint.Weights.Select(kv => (kv.Key, kv.Value))
            .Concat(checkpoint.Momentum.Select(kv => (MomentumPrefix + kv.Key, kv.Value)))
            .ToList();
        NamedTensorFile.Save(path, Kind, checkpoint.State, Json, tensors);
    }

    public static Checkpoint Load(string path)
    {
        var (state, tensors) = NamedTensorFile.Load<CheckpointState>(path, Kind, Json);
        var weights = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var momentum = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name.StartsWith(MomentumPrefix, StringComparison.Ordinal)) momentum[name[MomentumPrefix.Length..]] = tensor;
            else weights[name] = tensor;
        }
        return new Checkpoint(state, weights, momentum);
    }
}
