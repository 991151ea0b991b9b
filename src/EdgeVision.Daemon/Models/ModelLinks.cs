namespace EdgeVision.Daemon.Models;

/// <summary>
/// The one rule for symbolic links among models: a model file that is a link must resolve inside the directory
/// that holds the link. Whoever can write a link into models/ (or over the serving file) could otherwise make the
/// daemon read any file the service may read and report its parse errors back over HTTP; a link to a versioned
/// file beside it (<c>default.onnx → default-v3.onnx</c>) stays allowed.
/// </summary>
public static class ModelLinks
{
    /// <summary>Why <paramref name="path"/> may not be loaded as a model, or null when it is no link or stays inside.</summary>
    public static string? Escape(string path)
    {
        FileSystemInfo? target;
        try
        {
            target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException e)
        {
            return $"its symbolic link cannot be followed: {e.Message}";
        }
        if (target is null) return null;
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))! + Path.DirectorySeparatorChar;
        string resolved = Path.GetFullPath(target.FullName);
        return resolved.StartsWith(directory, StringComparison.Ordinal)
            ? null
            : $"is a symbolic link to {resolved}, outside {directory}; models are read only from their own directory";
    }
}
