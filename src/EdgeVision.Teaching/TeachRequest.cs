namespace EdgeVision.Teaching;

/// <summary>What to teach from and where the model goes. Validated by <see cref="Teacher"/> before any work.</summary>
public sealed record TeachRequest
{
    public const int MinImagesPerLabel = 5;
    public const double DefaultHoldOutFraction = 0.2;

    /// <summary>The dataset root (<c>train/&lt;label&gt;/…</c> under it, as captures are written) or a folder of label folders.</summary>
    public required string DatasetRoot { get; init; }

    /// <summary>The labels to learn; null or empty: every captured label.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>The contract model to write (temporary file + rename: it appears whole or not at all).</summary>
    public required string OutputPath { get; init; }

    /// <summary>Feature cache directory; null: embed every image every time.</summary>
    public string? CacheDirectory { get; init; }

    public int Seed { get; init; } = 1;
    public double HoldOutFraction { get; init; } = DefaultHoldOutFraction;
    public double L2 { get; init; } = SoftmaxTrainer.DefaultL2;
}
