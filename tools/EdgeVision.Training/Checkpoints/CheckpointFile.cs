using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeVision.Core.Architecture;
using EdgeVision.Core.IO;

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
/// Checkpoint file: magic "EVCKPT", format version, a length-prefixed UTF-8 JSON header
/// (<see cref="CheckpointState"/>), then named float32 tensors (weights, then momentum prefixed "optim:").
/// Little-endian. Written to a temporary file and renamed, so a crash never leaves half a checkpoint.
/// </summary>
public static class CheckpointFile
{
    private static readonly byte[] Magic = "EVCKPT"u8.ToArray();
    private const string MomentumPrefix = "optim:";

    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(Checkpoint checkpoint, string path)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(CheckpointState.CurrentFormat);
            byte[] header = JsonSerializer.SerializeToUtf8Bytes(checkpoint.State, Json);
            writer.Write(header.Length);
            writer.Write(header);
            var tensors = checkpoint.Weights.Select(kv => (kv.Key, kv.Value))
                .Concat(checkpoint.Momentum.Select(kv => (MomentumPrefix + kv.Key, kv.Value)))
                .ToList();
            writer.Write(tensors.Count);
            foreach (var (name, tensor) in tensors)
            {
                writer.Write(name);
                writer.Write(tensor.Shape.Length);
                foreach (int d in tensor.Shape) writer.Write(d);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            }
        });
    }

    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} does not exist", path);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{path} is not an EdgeVision checkpoint (bad magic)");
            int format = reader.ReadInt32();
            if (format != CheckpointState.CurrentFormat)
                throw new InvalidDataException($"{path}: checkpoint format {format} is not supported (expected {CheckpointState.CurrentFormat})");
            int headerLength = reader.ReadInt32();
            if (headerLength <= 0 || headerLength > 64 << 20) throw new InvalidDataException($"{path}: header length {headerLength} is implausible");
            var state = JsonSerializer.Deserialize<CheckpointState>(reader.ReadBytes(headerLength), Json)
                        ?? throw new InvalidDataException($"{path}: empty header");
            int count = reader.ReadInt32();
            var weights = new Dictionary<string, TensorData>(StringComparer.Ordinal);
            var momentum = new Dictionary<string, TensorData>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                int rank = reader.ReadInt32();
                if (rank is < 0 or > 8) throw new InvalidDataException($"{path}: tensor '{name}' has rank {rank}");
                var shape = new int[rank];
                for (int d = 0; d < rank; d++) shape[d] = reader.ReadInt32();
                long elements = shape.Aggregate(1L, (a, d) => a * d);
                if (elements < 0 || elements * 4 > stream.Length - stream.Position)
                    throw new InvalidDataException($"{path}: truncated in tensor '{name}'");
                var data = new float[elements];
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
                var tensor = new TensorData(data, shape);
                if (name.StartsWith(MomentumPrefix, StringComparison.Ordinal)) momentum[name[MomentumPrefix.Length..]] = tensor;
                else weights[name] = tensor;
            }
            return new Checkpoint(state, weights, momentum);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt checkpoint ({e.Message})", e);
        }
    }
}
