namespace EdgeVision.Inference;

/// <summary>Reads a model file once, checking existence and the size cap before any byte is read.</summary>
public static class ModelFile
{
    public static byte[] Read(string path, long maxBytes)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ModelLoadException(path ?? "", "no model path given");
        FileInfo info;
        try
        {
            info = new FileInfo(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ModelLoadException(path, $"not a valid path: {e.Message}", e);
        }
        if (Directory.Exists(path)) throw new ModelLoadException(path, "is a directory, not a model file");
        if (!info.Exists) throw new ModelLoadException(path, "file not found");
        if (info.Length == 0) throw new ModelLoadException(path, "file is empty");
        if (info.Length > maxBytes)
            throw new ModelLoadException(path, $"file is {info.Length:N0} bytes, larger than the {maxBytes:N0}-byte limit (Inference:MaxModelBytes)");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            // The file may have grown since the size check; never read past the cap.
            if (stream.Length > maxBytes)
                throw new ModelLoadException(path, $"file is {stream.Length:N0} bytes, larger than the {maxBytes:N0}-byte limit (Inference:MaxModelBytes)");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, $"cannot read the file: {e.Message}", e);
        }
    }
}
