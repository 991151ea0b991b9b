using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Daemon.Options;

/// <summary>Recording of annotated frames. Section <c>Output</c>.</summary>
public sealed class OutputOptions : IValidatableObject
{
    public const string SectionName = "Output";

    /// <summary>
    /// Null: no recording. A path ending in .avi records MJPG video (this OpenCV build has no H.264
    /// encoder); any other path is a folder that receives one JPEG per annotated frame.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Which source is recorded; null records the first.</summary>
    public string? Source { get; set; }

    /// <summary>Frame rate written into the video header.</summary>
    [Range(1.0, 240.0)]
    public double VideoFps { get; set; } = 30;

    /// <summary>Stop writing images after this many (a folder must not fill the disk); 0 = unlimited.</summary>
    [Range(0, int.MaxValue)]
    public int MaxImages { get; set; } = 10_000;

    public bool IsVideo => Path is { } p && p.EndsWith(".avi", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Path is { } p && string.IsNullOrWhiteSpace(p))
            yield return new ValidationResult($"{SectionName}:{nameof(Path)} is blank; leave it unset to disable recording", [nameof(Path)]);
        else if (Path is { } q && System.IO.Path.HasExtension(q) && !IsVideo)
            yield return new ValidationResult($"{SectionName}:{nameof(Path)} = '{q}': only .avi (MJPG) video or a folder is supported", [nameof(Path)]);
    }
}
