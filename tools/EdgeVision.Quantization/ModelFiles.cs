using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Quantization;

/// <summary>Writes models so a reader (the daemon's hot reload) never sees a half-written file.</summary>
public static class ModelFiles
{
    public static void SaveAtomic(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new IOException($"'{path}' has no directory");
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
