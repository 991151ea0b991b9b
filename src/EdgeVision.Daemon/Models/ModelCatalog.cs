using EdgeVision.Core.Model;
using EdgeVision.Daemon.Teaching;
using EdgeVision.Inference;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Daemon.Models;

/// <summary>
/// The switchable models: every *.onnx in the shipped model directory (listed by file name) and in the taught
/// directory (listed as <c>taught/&lt;file&gt;</c>, so a taught model can never be mistaken for a shipped one of the same
/// file name), each described from its own metadata.
/// </summary>
/// <remarks>
/// A file is described only after the checks the loader makes before reading (<see cref="ModelLinks"/>, the size
/// cap), so listing a directory with a 2 GB file or a link to elsewhere in it costs nothing and names the problem.
/// </remarks>
public sealed class ModelCatalog(string directory, string? taughtDirectory = null, long maxModelBytes = InferenceOptions.DefaultMaxModelBytes)
{
    public const string Shipped = "shipped";
    public const string Taught = "taught";

    public string Directory { get; } = directory;
    public string? TaughtDirectory { get; } = taughtDirectory;

    public IReadOnlyList<ModelInfo> List(ActiveModel? active)
    {
        var list = new List<ModelInfo>();
        AddFrom(Directory, "", Shipped, active, list, maxModelBytes);
        if (TaughtDirectory is not null) AddFrom(TaughtDirectory, TeachNames.CatalogPrefix, Taught, active, list, maxModelBytes);
        return list;
    }

    /// <summary>
    /// The full path of catalog entry <paramref name="name"/>; null for names that are not a plain file name of an
    /// existing *.onnx in the shipped directory, or <c>taught/</c> + such a name in the taught directory (nothing
    /// outside the two directories can be named).
    /// </summary>
    public string? Find(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        string directory = Directory;
        if (name.StartsWith(TeachNames.CatalogPrefix, StringComparison.Ordinal))
        {
            if (TaughtDirectory is null) return null;
            directory = TaughtDirectory;
            name = name[TeachNames.CatalogPrefix.Length..];
        }
        if (string.IsNullOrWhiteSpace(name) || name != Path.GetFileName(name) || name is "." or "..") return null;
        if (!name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) name += ".onnx";
        string path = Path.Combine(directory, name);
        return File.Exists(path) ? Path.GetFullPath(path) : null;
    }

    /// <summary>Why the shipped model directory cannot be listed (gone, not a directory, unreadable), or null when it can.</summary>
    public string? DirectoryProblem()
    {
        if (File.Exists(Directory)) return $"the models directory {Directory} is a file, not a directory";
        if (!System.IO.Directory.Exists(Directory)) return $"the models directory {Directory} does not exist";
        try
        {
            using var files = System.IO.Directory.EnumerateFiles(Directory, "*.onnx").GetEnumerator();
            files.MoveNext();
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"the models directory {Directory} cannot be read: {e.Message}";
        }
    }

    private static void AddFrom(string directory, string prefix, string origin, ActiveModel? active, List<ModelInfo> list, long maxBytes)
    {
        if (!System.IO.Directory.Exists(directory)) return;
        string[] paths;
        try
        {
            paths = System.IO.Directory.GetFiles(directory, "*.onnx");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return; // an unreadable directory lists nothing; DirectoryProblem says why where it matters
        }
        foreach (string path in paths.Order(StringComparer.Ordinal))
        {
            var file = new FileInfo(path);
            if (file.Name.StartsWith('.')) continue;
            bool isActive = active is not null && string.Equals(Path.GetFullPath(active.Path), file.FullName, StringComparison.Ordinal);
            string name = prefix + file.Name;
            try
            {
                var meta = ReadMetadata(path, maxBytes);
                list.Add(new ModelInfo(name, meta.Architecture, meta.Precision.ToString().ToLowerInvariant(), meta.Top1, file.Length, isActive, null)
                {
                    Origin = origin, TaughtFrom = meta.TaughtFrom, TrainedAt = meta.TrainedAt, Labels = meta.Labels.Count,
                });
            }
            catch (ModelLoadException e)
            {
                list.Add(new ModelInfo(name, null, null, null, file.Length, isActive, e.Reason) { Origin = origin });
            }
            catch (Exception e) when (e is ModelContractException or InvalidProtocolBufferException or IOException)
            {
                list.Add(new ModelInfo(name, null, null, null, file.Length, isActive, e.Message) { Origin = origin });
            }
        }
    }

    private static ModelMetadata ReadMetadata(string path, long maxBytes)
    {
        if (ModelLinks.Escape(path) is { } escape) throw new ModelLoadException(path, escape);
        var model = ModelProto.Parser.ParseFrom(ModelFile.Read(path, maxBytes));
        var props = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return ModelMetadata.FromProperties(props, path);
    }
}
