using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EdgeVision.Inference;

/// <summary>
/// How models are run: the execution-provider chain, batch size, threads and GPU provider settings.
/// Bound from the configuration section <see cref="SectionName"/> and validated before any model loads.
/// </summary>
public sealed class InferenceOptions : IValidatableObject
{
    public const string SectionName = "Inference";
    public const int MaxBatchLimit = 64;
    public const int MaxThreads = 1024;
    public const long DefaultMaxModelBytes = 512L * 1024 * 1024;

    private static readonly string[] DefaultProviders = [ExecutionProviders.TensorRt, ExecutionProviders.Cuda, ExecutionProviders.Cpu];

    /// <summary>Execution providers in order of preference; the first that works runs the model.</summary>
    public string[] Providers { get; set; } = [.. DefaultProviders];

    /// <summary>
    /// A copy for a session of <paramref name="maxBatch"/> frames, with the provider chain resolved
    /// (<see cref="EffectiveProviders"/>). A member-wise copy, so an option added later is never left behind.
    /// </summary>
    public InferenceOptions ForBatch(int maxBatch)
    {
        var copy = (InferenceOptions)MemberwiseClone();
        copy.Providers = [.. EffectiveProviders];
        copy.MaxBatch = maxBatch;
        return copy;
    }

    /// <summary>
    /// <see cref="Providers"/> as configured. The configuration binder appends configured array items to an
    /// initialised array instead of replacing it, so ["CPU"] from appsettings arrives as
    /// [TensorRT, CUDA, CPU, CPU]; every provider is in the default chain, so a longer list that starts with
    /// it can only come from that append and the configured part is what follows.
    /// </summary>
    public IReadOnlyList<string> EffectiveProviders =>
        Providers is { } p && p.Length > DefaultProviders.Length && p.Take(DefaultProviders.Length).SequenceEqual(DefaultProviders)
            ? p[DefaultProviders.Length..]
            : Providers ?? [];

    [Range(1, MaxBatchLimit)]
    public int MaxBatch { get; set; } = 8;

    /// <summary>0 lets ONNX Runtime choose (one thread per physical core).</summary>
    [Range(0, MaxThreads)]
    public int IntraOpThreads { get; set; }

    [Range(0, MaxThreads)]
    public int InterOpThreads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's intra-op worker threads busy-wait for the next piece of work instead of sleeping.
    /// Spinning shaves microseconds off back-to-back runs but burns the cores between them; a paced frame loop on
    /// a small device runs in bursts and shares the cores (with a teach job, the encoder, other services), so the
    /// default is off.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Refuse larger files before reading them: a wrong path must not exhaust memory.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxModelBytes { get; set; } = DefaultMaxModelBytes;

    [Range(0, 255)]
    public int DeviceId { get; set; }

    public bool TensorRtFp16 { get; set; }

    /// <summary>Needs a calibration table next to the engine cache (TensorRT's own INT8 path).</summary>
    public bool TensorRtInt8 { get; set; }

    /// <summary>Where TensorRT keeps built engines; building one takes minutes on a Jetson, so cache it.</summary>
    public string? TensorRtEngineCachePath { get; set; }

    /// <summary>Bytes TensorRT may use as workspace; 0 keeps its default.</summary>
    [Range(0L, long.MaxValue)]
    public long TensorRtMaxWorkspaceBytes { get; set; }

    /// <summary>CUDA EP memory cap in bytes; 0 keeps its default (no cap).</summary>
    [Range(0L, long.MaxValue)]
    public long CudaMemoryLimitBytes { get; set; }

    /// <summary>A locally built libonnxruntime.so (Jetson); null uses the one from the NuGet package.</summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>Runs a batch of zeros at load so the first real frame does not pay for lazy initialisation.</summary>
    public bool WarmUp { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var providers = EffectiveProviders;
        if (providers.Count == 0)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Providers)} is empty; use e.g. [\"CPU\"]", [nameof(Providers)]);
            yield break;
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < providers.Count; i++)
        {
            string? p = providers[i];
            if (!ExecutionProviders.TryNormalize(p, out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(Providers)}:{i} = '{p}' is not a known execution provider (known: {string.Join(", ", ExecutionProviders.All)})",
                    [nameof(Providers)]);
            }
            else if (!seen.Add(p!))
            {
                yield return new ValidationResult($"{SectionName}:{nameof(Providers)}:{i} = '{p}' is listed twice", [nameof(Providers)]);
            }
        }
        if (TensorRtEngineCachePath is { } cache && string.IsNullOrWhiteSpace(cache))
            yield return new ValidationResult($"{SectionName}:{nameof(TensorRtEngineCachePath)} is blank; leave it unset to disable the cache", [nameof(TensorRtEngineCachePath)]);
        if (NativeLibraryPath is { } lib && !File.Exists(lib))
            yield return new ValidationResult($"{SectionName}:{nameof(NativeLibraryPath)} = '{lib}' does not exist", [nameof(NativeLibraryPath)]);
    }

    /// <summary>Runs the attribute and cross-field checks; throws naming every bad key.</summary>
    public void ValidateOrThrow()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            var failures = results.Select(r =>
                r.MemberNames.Any() && !r.ErrorMessage!.StartsWith(SectionName, StringComparison.Ordinal)
                    ? $"{SectionName}:{r.MemberNames.First()}: {r.ErrorMessage}"
                    : r.ErrorMessage!).ToList();
            throw new OptionsValidationException(SectionName, typeof(InferenceOptions), failures);
        }
    }
}
