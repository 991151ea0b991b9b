namespace EdgeVision.Daemon.FrameLoop;

/// <summary>A source's capture rate and the frames it dropped so far (newest over unseen in its slot).</summary>
public readonly record struct SourceRate(double Fps, long Dropped);
