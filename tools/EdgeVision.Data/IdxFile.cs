using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeVision.Data;

/// <summary>LeCun's IDX format (MNIST, Fashion-MNIST): big-endian magic, dimensions, then uint8 data; .gz or plain.</summary>
public static class IdxFile
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>Returns the pixels [N, rows, cols] and the dimensions; throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Cols) ReadImages(string path)
    {
        byte[] data = ReadAll(path);
        var header = Header(data, path, ImagesMagic, 3);
        return (Payload(data, path, header), header[0], header[1], header[2]);
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] data = ReadAll(path);
        var header = Header(data, path, LabelsMagic, 1);
        return Payload(data, path, header);
    }

    private static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file {path} does not exist", path);
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a readable gzip stream ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: truncated gzip stream", e);
        }
    }

    private static int[] Header(byte[] data, string path, int magic, int dims)
    {
        int headerBytes = 4 + 4 * dims;
        if (data.Length < headerBytes) throw new InvalidDataException($"{path}: {data.Length} bytes is too short for an IDX header");
        int found = BinaryPrimitives.ReadInt32BigEndian(data);
        if (found != magic)
            throw new InvalidDataException($"{path}: magic 0x{found:x8} is not an IDX {(magic == ImagesMagic ? "image" : "label")} file (expected 0x{magic:x8})");
        var shape = new int[dims];
        for (int i = 0; i < dims; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4 + 4 * i));
            if (shape[i] <= 0) throw new InvalidDataException($"{path}: dimension {i} is {shape[i]}");
        }
        return shape;
    }

    private static byte[] Payload(byte[] data, string path, int[] shape)
    {
        int headerBytes = 4 + 4 * shape.Length;
        long expected = shape.Aggregate(1L, (a, d) => a * d);
        long actual = data.Length - headerBytes;
        if (actual < expected) throw new InvalidDataException($"{path}: truncated: header promises {expected} bytes of data, the file holds {actual}");
        if (actual > expected) throw new InvalidDataException($"{path}: {actual - expected} unexpected bytes after the data");
        return data[headerBytes..];
    }
}
