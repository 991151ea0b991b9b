using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Capture;

/// <summary>All sources, bound from the "Capture" section. Empty list: the host picks the first camera or the demo.</summary>
public sealed class CaptureOptions : IValidatableObject
{
    public const string SectionName = "Capture";
    public const int MaxSources = 16;

    public List<SourceOptions> Sources { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Sources.Count > MaxSources)
            yield return new ValidationResult($"{SectionName}:{nameof(Sources)} has {Sources.Count} entries, at most {MaxSources} are supported");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Sources.Count; i++)
        {
            foreach (string error in Sources[i].Errors($"{SectionName}:{nameof(Sources)}:{i}"))
                yield return new ValidationResult(error);
            if (!string.IsNullOrWhiteSpace(Sources[i].Name) && !seen.Add(Sources[i].Name))
                yield return new ValidationResult($"{SectionName}:{nameof(Sources)}:{i}:{nameof(SourceOptions.Name)} '{Sources[i].Name}' is used by another source");
        }
    }
}
