using EdgeVision.Training.Runs;
using EdgeVision.Training.Transfer;

namespace EdgeVision.Tools.Verbs;

/// <summary>
/// <c>edgevision train</c> from scratch or <c>--resume</c>: <see cref="Options"/> is null when resuming (the checkpoint's
/// options continue) and <see cref="Out"/> is then the checkpoint's folder unless given.
/// </summary>
public sealed record TrainArguments(string? Resume, string Data, int ImageSize, int Subset, double ValSplit, float[]? Mean, float[]? Std,
    int Threads, string Out, TrainingOptions? Options);

/// <summary>
/// <c>edgevision train --pretrained …</c>: <see cref="ImageSize"/> is what the backbone is fed — 224 for imagenet unless
/// --imgsz says otherwise, null for a file backbone (its own input size).
/// </summary>
public sealed record TransferArguments(string Pretrained, string Arch, string Data, string Out, int Threads, int Subset, int PerClass, double ValSplit,
    int? ImageSize, TransferOptions Options);
