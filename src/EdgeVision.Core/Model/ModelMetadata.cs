using System.Globalization;
using System.Text.Json;

namespace EdgeVision.Core.Model;

/// <summary>
/// Everything a contract model says about itself in <c>metadata_props</c>: the daemon and
/// <c>edgevision eval</c> read it instead of side files.
/// </summary>
public sealed record ModelMetadata
{
    public required IReadOnlyList<string> Labels { get; init; }
    public required string Architecture { get; init; }
    public required int InputWidth { get; init; }
    public required int InputHeight { get; init; }
    public required ColorMode Color { get; init; }

    /// <summary>Per network channel, on the [0,1] pixel scale (torchvision convention).</summary>
    public required IReadOnlyList<float> Mean { get; init; }

    /// <summary>Per network channel, on the [0,1] pixel scale.</summary>
    public required IReadOnlyList<float> Std { get; init; }

    public ResizePolicy Resize { get; init; } = ResizePolicy.Stretch;
    public Precision Precision { get; init; } = Precision.Fp32;
    public string? Dataset { get; init; }
    public double? Top1 { get; init; }
    public double? Top5 { get; init; }
    public DateTimeOffset? TrainedAt { get; init; }
    public string? Calibration { get; init; }

    /// <summary>The pretrained backbone a transfer-learned model started from (e.g. "imagenet-resnet18"); null when trained from scratch.</summary>
    public string? Pretrained { get; init; }

    /// <summary>The part of the pretrained backbone that stayed frozen (none, stem, layer1 … layer4, backbone).</summary>
    public string? Frozen { get; init; }

    /// <summary>A model taught on the device: the number of captured images it learned from.</summary>
    public int? TaughtFrom { get; init; }

    /// <summary>Channels the network itself consumes after the in-graph colour conversion.</summary>
    public int NetworkChannels => Color == ColorMode.Grey ? 1 : 3;

    /// <summary>Throws <see cref="ModelContractException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        if (Labels.Count == 0) throw new ModelContractException("metadata: labels are empty");
        for (int i = 0; i < Labels.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Labels[i]))
                throw new ModelContractException($"metadata: label {i} is empty");
        }
        if (string.IsNullOrWhiteSpace(Architecture)) throw new ModelContractException("metadata: architecture is empty");
        if (InputWidth is < 1 or > 8192) throw new ModelContractException($"metadata: input width {InputWidth} is outside 1..8192");
        if (InputHeight is < 1 or > 8192) throw new ModelContractException($"metadata: input height {InputHeight} is outside 1..8192");
        if (Mean.Count != NetworkChannels)
            throw new ModelContractException($"metadata: mean has {Mean.Count} values, the {Color} network needs {NetworkChannels}");
        if (Std.Count != NetworkChannels)
            throw new ModelContractException($"metadata: std has {Std.Count} values, the {Color} network needs {NetworkChannels}");
        foreach (float s in Std)
        {
            if (!(s > 0f) || float.IsInfinity(s)) throw new ModelContractException($"metadata: std value {s} must be positive and finite");
        }
        if (TaughtFrom is < 0) throw new ModelContractException($"metadata: taught_from {TaughtFrom} is negative");
        foreach (float m in Mean)
        {
            if (!float.IsFinite(m)) throw new ModelContractException($"metadata: mean value {m} must be finite");
        }
    }

    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var props = new Dictionary<string, string>
        {
            [MetadataKeys.ContractVersion] = "1",
            [MetadataKeys.Labels] = JsonSerializer.Serialize(Labels),
            [MetadataKeys.Architecture] = Architecture,
            [MetadataKeys.InputWidth] = InputWidth.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.InputHeight] = InputHeight.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.ColorMode] = Color.ToString().ToLowerInvariant(),
            [MetadataKeys.Mean] = JoinFloats(Mean),
            [MetadataKeys.Std] = JoinFloats(Std),
            [MetadataKeys.Resize] = ResizePolicyNames.Name(Resize),
            [MetadataKeys.Precision] = Precision.ToString().ToLowerInvariant(),
        };
        if (Dataset is not null) props[MetadataKeys.Dataset] = Dataset;
        if (Top1 is { } t1) props[MetadataKeys.Top1] = t1.ToString("R", CultureInfo.InvariantCulture);
        if (Top5 is { } t5) props[MetadataKeys.Top5] = t5.ToString("R", CultureInfo.InvariantCulture);
        if (TrainedAt is { } at) props[MetadataKeys.TrainedAt] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (Calibration is not null) props[MetadataKeys.Calibration] = Calibration;
        if (Pretrained is not null) props[MetadataKeys.Pretrained] = Pretrained;
        if (Frozen is not null) props[MetadataKeys.Frozen] = Frozen;
        if (TaughtFrom is { } taught) props[MetadataKeys.TaughtFrom] = taught.ToString(CultureInfo.InvariantCulture);
        return props;
    }

    /// <summary>Reads and validates; <paramref name="source"/> names the file in error messages.</summary>
    public static ModelMetadata FromProperties(IReadOnlyDictionary<string, string> props, string source)
    {
        string Required(string key) =>
            props.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
                ? v
                : throw new ModelContractException($"{source}: metadata '{key}' is missing");
        string? Optional(string key) => props.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;

        try
        {
            var labels = JsonSerializer.Deserialize<List<string>>(Required(MetadataKeys.Labels))
                         ?? throw new ModelContractException($"{source}: metadata '{MetadataKeys.Labels}' is null");
            var meta = new ModelMetadata
            {
                Labels = labels,
                Architecture = Required(MetadataKeys.Architecture),
                InputWidth = ParseInt(Required(MetadataKeys.InputWidth), MetadataKeys.InputWidth, source),
                InputHeight = ParseInt(Required(MetadataKeys.InputHeight), MetadataKeys.InputHeight, source),
                Color = ParseEnum<ColorMode>(Required(MetadataKeys.ColorMode), MetadataKeys.ColorMode, source),
                Mean = ParseFloats(Required(MetadataKeys.Mean), MetadataKeys.Mean, source),
                Std = ParseFloats(Required(MetadataKeys.Std), MetadataKeys.Std, source),
                Resize = Optional(MetadataKeys.Resize) is not { } resize ? ResizePolicy.Stretch
                    : ResizePolicyNames.TryParse(resize, out var policy) ? policy
                    : throw new ModelContractException($"{source}: metadata '{MetadataKeys.Resize}' = '{resize}' is not {ResizePolicyNames.Accepted}"),
                Precision = Optional(MetadataKeys.Precision) is { } p ? ParseEnum<Precision>(p, MetadataKeys.Precision, source) : Precision.Fp32,
                Dataset = Optional(MetadataKeys.Dataset),
                Top1 = Optional(MetadataKeys.Top1) is { } t1 ? ParseDouble(t1, MetadataKeys.Top1, source) : null,
                Top5 = Optional(MetadataKeys.Top5) is { } t5 ? ParseDouble(t5, MetadataKeys.Top5, source) : null,
                TrainedAt = Optional(MetadataKeys.TrainedAt) is { } at
                    ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                    : null,
                Calibration = Optional(MetadataKeys.Calibration),
                Pretrained = Optional(MetadataKeys.Pretrained),
                Frozen = Optional(MetadataKeys.Frozen),
                TaughtFrom = Optional(MetadataKeys.TaughtFrom) is { } n ? ParseInt(n, MetadataKeys.TaughtFrom, source) : null,
            };
            meta.Validate();
            return meta;
        }
        catch (ModelContractException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new ModelContractException($"{source}: {e.Message}", e);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new ModelContractException($"{source}: unreadable metadata: {e.Message}", e);
        }
    }

    private static string JoinFloats(IEnumerable<float> values) =>
        string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static int ParseInt(string s, string key, string source) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ModelContractException($"{source}: metadata '{key}' = '{s}' is not an integer");

    private static double ParseDouble(string s, string key, string source) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new ModelContractException($"{source}: metadata '{key}' = '{s}' is not a number");

    private static float[] ParseFloats(string s, string key, string source) =>
        s.Split(',').Select(part => float.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v)
            ? v
            : throw new ModelContractException($"{source}: metadata '{key}' = '{s}' is not a list of numbers")).ToArray();

    private static T ParseEnum<T>(string s, string key, string source) where T : struct, Enum =>
        Enum.TryParse<T>(s, ignoreCase: true, out var v) && Enum.IsDefined(v)
            ? v
            : throw new ModelContractException($"{source}: metadata '{key}' = '{s}' is not one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}");
}
