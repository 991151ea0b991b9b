namespace EdgeVision.Daemon.Models;

/// <summary>
/// Resolves relative model paths: against the content root, then each parent of it (so
/// <c>--contentRoot src/EdgeVision.Daemon</c> finds the repository's models/), then the install directory.
/// </summary>
public static class ModelPaths
{
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
