namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Where a frame came from: its sequence number in its source, when it was captured
/// (<see cref="System.Diagnostics.Stopwatch"/> ticks) and, for labelled sources, the true class.
/// </summary>
public readonly record struct FrameStamp(long Sequence, long CapturedAt, int? GroundTruth);
