namespace EdgeVision.Daemon.FrameLoop;

/// <summary>Run-time switches of the frame loop set by the window keys and the API.</summary>
public sealed class LoopControl
{
    private volatile bool _paused;

    /// <summary>Paused: no frames are taken or inferred; the window and streams keep the last frame.</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    public bool TogglePause() => _paused = !_paused;
}
