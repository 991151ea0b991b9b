namespace EdgeVision.Daemon.FrameLoop;

/// <summary>How long the batch a frame was inferred in took, and how many frames it held.</summary>
public readonly record struct InferenceTiming(double Milliseconds, int BatchSize);
