namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// What the frame loop tells viewers with each shown frame of one source. <see cref="TopK"/> may point into a
/// buffer the frame loop reuses: <see cref="StreamHub.PublishPrediction"/> copies it before returning.
/// </summary>
public readonly record struct PredictionUpdate(
    string Source,
    long Sequence,
    ReadOnlyMemory<ScoredLabel> TopK,
    double InferenceMs,
    double LatencyMs,
    string? GroundTruth,
    DateTimeOffset Timestamp);
