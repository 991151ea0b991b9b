namespace EdgeVision.Capture;

public enum SourceState
{
    /// <summary>Opening (first time or after a failure); no frame yet from this attempt.</summary>
    Connecting,

    /// <summary>Frames are flowing.</summary>
    Live,

    /// <summary>Down: waiting before the next attempt; the slot shows NO SIGNAL.</summary>
    NoSignal,

    /// <summary>A finite source (file or folder without loop) reached its end.</summary>
    Ended,

    /// <summary>Stopped by the host.</summary>
    Stopped,
}

/// <summary>A snapshot of one source's counters, safe to read from any thread.</summary>
public readonly record struct SourceStats(
    string Name,
    SourceState State,
    double Fps,
    long Captured,
    long Dropped,
    long Reopens,
    string? LastError,
    long LastFrameTimestamp);
