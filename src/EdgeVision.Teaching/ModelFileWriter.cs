using EdgeVision.Core.IO;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Teaching;

/// <summary>
/// Writes a taught model through <see cref="AtomicFile"/>: a reader (the daemon's catalog, a model switch) sees the whole
/// model or nothing, and a failure (disk full) leaves no temporary file and says, as a <see cref="TeachingException"/>, where it failed.
/// </summary>
public sealed class ModelFileWriter
{
    private readonly Func<string, Stream>? _openTemporary;

    public ModelFileWriter()
    {
    }

    /// <param name="openTemporary">Opens the temporary file (tests inject a stream that fails like a full disk).</param>
    internal ModelFileWriter(Func<string, Stream> openTemporary) => _openTemporary = openTemporary;

    /// <exception cref="TeachingException">The model could not be written; no file is left behind.</exception>
    public void Write(ModelProto model, string path)
    {
        try
        {
            AtomicFile.Write(path, model.WriteTo, openTemporary: _openTemporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TeachingException($"the model could not be written to {Path.GetFullPath(path)}: {e.Message}; nothing was written and the serving model is unchanged", e);
        }
    }
}
