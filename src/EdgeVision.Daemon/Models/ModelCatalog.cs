using EdgeVision.Core.Model;
using EdgeVision.Daemon.Control;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Daemon.Models;

/// <summary>The switchable models: every *.onnx in the model directory, described from its own metadata.</summary>
public sealed class ModelCatalog(string directory)
{
    public string Directory { get; } = directory;

    public IReadOnlyList<ModelInfo> List(ActiveModel? active)
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var list = new List<ModelInfo>();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*.onnx").Order(StringComparer.Ordinal))
        {
            var file = new FileInfo(path);
            bool isActive = active is not null && string.Equals(Path.GetFullPath(active.Path), file.FullName, StringComparison.Ordinal);
            try
            {
                var meta = ReadMetadata(path);
                list.Add(new ModelInfo(file.Name, meta.Architecture, meta.Precision.ToString().ToLowerInvariant(), meta.Top1, file.Length, isActive, null));
            }
            catch (Exception e) when (e is ModelContractException or InvalidProtocolBufferException or IOException)
            {
                list.Add(new ModelInfo(file.Name, null, null, null, file.Length, isActive, e.Message));
            }
        }
        return list;
    }

    /// <summary>
    /// The full path of catalog entry <paramref name="name"/>; null for names that are not a plain file name
    /// of an existing *.onnx here (no path separators, so nothing outside the directory can be named).
    /// </summary>
    public string? Find(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name != Path.GetFileName(name) || name is "." or "..") return null;
        if (!name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) name += ".onnx";
        string path = Path.Combine(Directory, name);
        return File.Exists(path) ? Path.GetFullPath(path) : null;
    }

    private static ModelMetadata ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        var model = ModelProto.Parser.ParseFrom(stream);
        var props = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return ModelMetadata.FromProperties(props, path);
    }
}
