using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Teaching;

/// <summary>
/// Writes a taught model as a temporary file in the target directory, flushed to disk, then renamed over the
/// target: a reader (the daemon's catalog, a model switch) sees the whole model or nothing, and a failure
/// (disk full) removes the temporary file and says where it failed.
/// </summary>
public sealed class ModelFileWriter
{
    private readonly Func<string, Stream> _create;

    public ModelFileWriter() : this(path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
    {
    }

    /// <param name="create">Opens the temporary file (tests inject a stream that fails like a full disk).</param>
    internal ModelFileWriter(Func<string, Stream> create) => _create = create;

    /// <exception cref="TeachingException">The model could not be written; no file is left behind.</exception>
    public void Write(ModelProto model, string path)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = _create(temp))
            {
                model.WriteTo(stream);
                if (stream is FileStream file) file.Flush(flushToDisk: true);
                else stream.Flush();
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw new TeachingException($"the model could not be written to {full}: {e.Message}; nothing was written and the serving model is unchanged", e);
        }
    }
}
