using EdgeVision.Core.Model;

namespace EdgeVision.Onnx.Import;

/// <summary>What <see cref="ContractImporter"/> needs beyond the source graph: the training-time preprocessing and the labels.</summary>
public sealed record ImportOptions
{
    /// <summary>One per class, in output order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>RGB order, [0,1] pixel scale (torchvision: 0.485, 0.456, 0.406).</summary>
    public required IReadOnlyList<float> Mean { get; init; }

    /// <summary>RGB order, [0,1] pixel scale (torchvision: 0.229, 0.224, 0.225).</summary>
    public required IReadOnlyList<float> Std { get; init; }

    /// <summary>Input width; null takes it from the model, which must then have a fixed width.</summary>
    public int? Width { get; init; }

    /// <summary>Input height; null takes it from the model, which must then have a fixed height.</summary>
    public int? Height { get; init; }

    public ResizePolicy Resize { get; init; } = ResizePolicy.CenterCrop;

    /// <summary>Architecture name for the metadata; null uses the source graph's name.</summary>
    public string? Architecture { get; init; }

    public string? Dataset { get; init; }

    public void Validate()
    {
        if (Labels.Count < 2) throw new ArgumentException($"at least 2 labels are needed, {Labels.Count} given");
        for (int i = 0; i < Labels.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Labels[i])) throw new ArgumentException($"label {i + 1} is empty");
        }
        if (Mean.Count != 3) throw new ArgumentException($"mean needs 3 values (R,G,B), {Mean.Count} given");
        if (Std.Count != 3) throw new ArgumentException($"std needs 3 values (R,G,B), {Std.Count} given");
        if (Mean.Any(m => !float.IsFinite(m))) throw new ArgumentException($"mean values must be finite: {string.Join(",", Mean)}");
        if (Std.Any(s => !(s > 0) || !float.IsFinite(s))) throw new ArgumentException($"std values must be positive and finite: {string.Join(",", Std)}");
        if (Width is < 1 or > 8192) throw new ArgumentException($"width {Width} is outside 1..8192");
        if (Height is < 1 or > 8192) throw new ArgumentException($"height {Height} is outside 1..8192");
    }
}
