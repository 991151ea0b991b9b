namespace EdgeVision.Daemon.Streaming;

/// <summary>One entry of a top-k list: a class label and its (smoothed) probability.</summary>
public readonly record struct ScoredLabel(string Label, float Score);
