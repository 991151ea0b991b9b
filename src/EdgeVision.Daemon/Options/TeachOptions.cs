using System.ComponentModel.DataAnnotations;
using EdgeVision.Inference;

namespace EdgeVision.Daemon.Options;

/// <summary>
/// Teaching on the device (POST /api/teach, the window's 't'): where taught models and the feature cache live, and
/// how much of the machine the job may take. Section <c>Teach</c>.
/// </summary>
public sealed class TeachOptions : IValidatableObject
{
    public const string SectionName = "Teach";
    public const int MaxThreadsLimit = 64;

    /// <summary>
    /// Taught models. Null: $STATE_DIRECTORY/taught under systemd (the shipped models/ is read-only there), else
    /// ./runs/taught. Listed in the catalog as <c>taught/&lt;file&gt;</c>.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Backbone features per image content. Null: $STATE_DIRECTORY/feature-cache, else ./runs/feature-cache.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// ONNX Runtime threads of the backbone while teaching: a bound on the job's CPU share. Two, because at
    /// <see cref="Nice"/> 10 they only take what the frame loop leaves (measured on 2 cores: 99 % of idle fps during a
    /// job with 2 threads, and the job 10.4 s → 8–9 s; docs/BENCHMARKS.md).
    /// </summary>
    [Range(1, MaxThreadsLimit)]
    public int Threads { get; set; } = 2;

    /// <summary>Linux nice value of the job's threads (0 normal … 19 lowest): the frame loop wins every contended core.</summary>
    [Range(0, 19)]
    public int Nice { get; set; } = 10;

    /// <summary>Images per backbone run.</summary>
    [Range(1, InferenceOptions.MaxBatchLimit)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Fraction of each label held out for the reported accuracy.</summary>
    [Range(0.05, 0.5)]
    public double HoldOutFraction { get; set; } = EdgeVision.Teaching.TeachRequest.DefaultHoldOutFraction;

    [Range(0.0, 100.0)]
    public double L2 { get; set; } = EdgeVision.Teaching.SoftmaxTrainer.DefaultL2;

    public int Seed { get; set; } = 1;

    /// <summary>Switch to the taught model as soon as it is written and validated.</summary>
    public bool Activate { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Directory is not null && (Directory.Length == 0 || Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
            yield return new ValidationResult($"{SectionName}:{nameof(Directory)} = '{Directory}' is not a usable path", [nameof(Directory)]);
        if (CacheDirectory is not null && (CacheDirectory.Length == 0 || CacheDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
            yield return new ValidationResult($"{SectionName}:{nameof(CacheDirectory)} = '{CacheDirectory}' is not a usable path", [nameof(CacheDirectory)]);
    }

    public string ResolveDirectory() => Resolve(Directory, "taught");

    public string ResolveCacheDirectory() => Resolve(CacheDirectory, "feature-cache");

    // The same rule as the dataset root (Http:DatasetRoot): systemd's StateDirectory=, else ./runs.
    private static string Resolve(string? configured, string leaf)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        string? state = Environment.GetEnvironmentVariable("STATE_DIRECTORY")?.Split(':')[0];
        return string.IsNullOrWhiteSpace(state) ? Path.GetFullPath(Path.Combine("runs", leaf)) : Path.Combine(state, leaf);
    }
}
