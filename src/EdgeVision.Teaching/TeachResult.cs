namespace EdgeVision.Teaching;

/// <summary>A capture that could not be used, and why (unreadable file, not a decodable image).</summary>
public sealed record SkippedCapture(string Path, string Reason);

/// <summary>What a teach run produced and measured.</summary>
public sealed record TeachResult
{
    public required string ModelPath { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required IReadOnlyDictionary<string, int> ImagesPerLabel { get; init; }

    /// <summary>Images the head was fitted on (the model's taught_from).</summary>
    public required int FitImages { get; init; }
    public required int HoldOutImages { get; init; }

    /// <summary>Top-1 of the written model on the held-out captures.</summary>
    public required double HoldOutAccuracy { get; init; }
    public required int Embedded { get; init; }
    public required int Cached { get; init; }
    public required IReadOnlyList<SkippedCapture> Skipped { get; init; }
    public required string Provider { get; init; }
    public required TimeSpan EmbedTime { get; init; }
    public required TimeSpan FitTime { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required int Iterations { get; init; }
}
