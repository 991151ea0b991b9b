using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Daemon.Options;

/// <summary>How the frame loop paces, batches and smooths. Section <c>FrameLoop</c>.</summary>
public sealed class FrameLoopOptions : IValidatableObject
{
    public const string SectionName = "FrameLoop";
    public const int MaxFps = 1000;
    public const int MaxBatchLimit = 64;
    public const int MaxBatchDelayLimitMs = 1000;
    public const int MaxTopK = 10;

    /// <summary>Ticks per second; 0 runs as fast as inference allows.</summary>
    [Range(0, MaxFps)]
    public double TargetFps { get; set; }

    /// <summary>At most this many frames (one per source) go into one inference run.</summary>
    [Range(1, MaxBatchLimit)]
    public int MaxBatch { get; set; } = 8;

    /// <summary>How long a tick waits for more sources to deliver before running with what it has.</summary>
    [Range(0, MaxBatchDelayLimitMs)]
    public int MaxBatchDelayMs { get; set; } = 5;

    /// <summary>Half-life of the exponential smoothing of scores, in seconds of frame time; 0 turns smoothing off.</summary>
    [Range(0.0, 60.0)]
    public double SmoothingHalfLifeSeconds { get; set; } = 0.25;

    /// <summary>A new top-1 label must beat the shown one by this much smoothed probability to replace it.</summary>
    [Range(0.0, 1.0)]
    public double HysteresisMargin { get; set; } = 0.05;

    [Range(1, MaxTopK)]
    public int TopK { get; set; } = 5;

    /// <summary>
    /// Annotated frames (HUD, JPEG, MJPEG/SSE, window, recording) per second per source at most; 0 shows every
    /// inferred frame. Inference runs on every frame either way: this caps only the view, which no display
    /// shows faster and which costs more than the inference of a small model.
    /// </summary>
    [Range(0, MaxFps)]
    public double MaxViewFps { get; set; } = 60;

    /// <summary>JPEG quality of the annotated stream.</summary>
    [Range(10, 100)]
    public int JpegQuality { get; set; } = 80;

    /// <summary>No new frame for this long means frames are not flowing: the systemd watchdog stops being fed.</summary>
    [Range(0.1, 3600.0)]
    public double FlowTimeoutSeconds { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TargetFps > 0 && MaxBatchDelayMs > 0 && MaxBatchDelayMs / 1000.0 >= 1.0 / TargetFps)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(MaxBatchDelayMs)} = {MaxBatchDelayMs} must be shorter than one tick at {SectionName}:{nameof(TargetFps)} = {TargetFps} ({1000.0 / TargetFps:0.#} ms)",
                [nameof(MaxBatchDelayMs)]);
        }
    }
}
