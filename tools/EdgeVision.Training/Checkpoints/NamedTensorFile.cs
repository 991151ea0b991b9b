using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using EdgeVision.Core.Architecture;
using EdgeVision.Core.IO;

namespace EdgeVision.Training.Checkpoints;

/// <summary>What tells one kind of <see cref="NamedTensorFile"/> from another, and how its messages name it.</summary>
/// <param name="Noun">"checkpoint", "transfer progress file": the word in error messages.</param>
public sealed record NamedTensorFileKind(byte[] Magic, int Format, string Noun);

/// <summary>
/// The container that training checkpoints (<see cref="CheckpointFile"/>) and transfer progress files share: magic,
/// int32 format version, int32 length and a UTF-8 JSON header, int32 tensor count, then per tensor its name
/// (<see cref="BinaryWriter.Write(string)"/>), int32 rank, int32 dimensions and float32 data. Little-endian.
/// Published with <see cref="AtomicFile"/>, so a crash never leaves half a file under the name.
/// </summary>
public static class NamedTensorFile
{
    private const int MaxHeaderBytes = 64 << 20;
    private const int MaxRank = 8;

    public static void Save<THeader>(string path, NamedTensorFileKind kind, THeader header, JsonSerializerOptions json,
        IReadOnlyCollection<(string Name, TensorData Tensor)> tensors)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(kind.Magic);
            writer.Write(kind.Format);
            byte[] headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, json);
            writer.Write(headerBytes.Length);
            writer.Write(headerBytes);
            writer.Write(tensors.Count);
            foreach (var (name, tensor) in tensors)
            {
                writer.Write(name);
                writer.Write(tensor.Shape.Length);
                foreach (int d in tensor.Shape) writer.Write(d);
                writer.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            }
        });
    }

    /// <summary>The header and the tensors in file order; a missing, foreign, truncated or corrupt file is an error naming it.</summary>
    public static (THeader Header, List<(string Name, TensorData Tensor)> Tensors) Load<THeader>(string path, NamedTensorFileKind kind, JsonSerializerOptions json)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{kind.Noun} {path} does not exist", path);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(kind.Magic.Length).AsSpan().SequenceEqual(kind.Magic))
                throw new InvalidDataException($"{path} is not an EdgeVision {kind.Noun} (bad magic)");
            int format = reader.ReadInt32();
            if (format != kind.Format)
                throw new InvalidDataException($"{path}: {kind.Noun} format {format} is not supported (expected {kind.Format})");
            int headerLength = reader.ReadInt32();
            if (headerLength <= 0 || headerLength > MaxHeaderBytes) throw new InvalidDataException($"{path}: header length {headerLength} is implausible");
            var header = JsonSerializer.Deserialize<THeader>(reader.ReadBytes(headerLength), json)
                         ?? throw new InvalidDataException($"{path}: empty header");
            int count = reader.ReadInt32();
            var tensors = new List<(string, TensorData)>();
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                int rank = reader.ReadInt32();
                if (rank is < 0 or > MaxRank) throw new InvalidDataException($"{path}: tensor '{name}' has rank {rank}");
                var shape = new int[rank];
                for (int d = 0; d < rank; d++) shape[d] = reader.ReadInt32();
                long elements = shape.Aggregate(1L, (a, d) => a * d);
                if (elements < 0 || elements * 4 > stream.Length - stream.Position)
                    throw new InvalidDataException($"{path}: truncated in tensor '{name}'");
                var data = new float[elements];
                stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
                tensors.Add((name, new TensorData(data, shape)));
            }
            return (header, tensors);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt {kind.Noun} ({e.Message})", e);
        }
    }
}
