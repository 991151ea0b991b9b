using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Daemon.Options;

/// <summary>The local HighGUI window (only where a display exists). Section <c>Window</c>.</summary>
public sealed class WindowOptions : IValidatableObject
{
    public const string SectionName = "Window";

    /// <summary>Open a window when DISPLAY is set.</summary>
    public bool Enabled { get; set; } = true;

    public bool FullScreen { get; set; }

    public string Title { get; set; } = "EdgeVision";

    /// <summary>Label the 'c' key saves frames under; null uses the current top-1 label.</summary>
    public string? CaptureLabel { get; set; }

    [Range(1, 240)]
    public int RefreshFps { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Title))
            yield return new ValidationResult($"{SectionName}:{nameof(Title)} is empty", [nameof(Title)]);
        if (CaptureLabel is { } l && string.IsNullOrWhiteSpace(l))
            yield return new ValidationResult($"{SectionName}:{nameof(CaptureLabel)} is blank; leave it unset to use the top-1 label", [nameof(CaptureLabel)]);
    }
}
