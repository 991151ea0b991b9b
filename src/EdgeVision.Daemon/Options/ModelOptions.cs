using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Daemon.Options;

/// <summary>Which model serves and where the catalog lives. Section <c>Model</c>.</summary>
public sealed class ModelOptions : IValidatableObject
{
    public const string SectionName = "Model";

    /// <summary>The model to serve; relative paths resolve against <see cref="Directory"/>'s parent chain (see <see cref="ModelPaths"/>).</summary>
    public string Path { get; set; } = "models/default.onnx";

    /// <summary>The catalog of switchable models (*.onnx).</summary>
    public string Directory { get; set; } = "models";

    /// <summary>Reload the serving model when its file changes.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>File writers emit several change events; reload once they have been quiet this long.</summary>
    [Range(0, 60_000)]
    public int WatchDebounceMs { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Path))
            yield return new ValidationResult($"{SectionName}:{nameof(Path)} is empty; set it to an .onnx contract model", [nameof(Path)]);
        else if (!Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            yield return new ValidationResult($"{SectionName}:{nameof(Path)} = '{Path}' is not an .onnx file", [nameof(Path)]);
        if (string.IsNullOrWhiteSpace(Directory))
            yield return new ValidationResult($"{SectionName}:{nameof(Directory)} is empty", [nameof(Directory)]);
    }
}
