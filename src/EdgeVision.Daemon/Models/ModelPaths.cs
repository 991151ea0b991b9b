namespace EdgeVision.Daemon.Models;

/// <summary>
/// Resolves relative model paths: against the content root, then each parent of it (so
/// <c>--contentRoot src/EdgeVision.Daemon</c> finds the repository's models/), then the install directory.
/// </summary>
public static class ModelPaths
{
    /// <summary>
    /// The model to serve: <c>taught/&lt;file&gt;.onnx</c> (a model taught on this device, as the catalog names it) is
    /// looked up in the taught directory, so it can be made the default by configuration; anything else as <see cref="Resolve"/>.
    /// </summary>
    public static string ResolveServing(string path, string taughtDirectory, string contentRoot)
    {
        if (path.StartsWith(Teaching.TeachNames.CatalogPrefix, StringComparison.Ordinal))
        {
            string file = path[Teaching.TeachNames.CatalogPrefix.Length..];
            string taught = Path.Combine(taughtDirectory, file);
            if (file == Path.GetFileName(file) && File.Exists(taught)) return taught;
        }
        return Resolve(path, contentRoot);
    }

    public static string Resolve(string path, string contentRoot)
    {
        if (Path.IsPathRooted(path)) return path;
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, path);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        string installed = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(installed) || Directory.Exists(installed) ? installed : Path.GetFullPath(Path.Combine(contentRoot, path));
    }
}
