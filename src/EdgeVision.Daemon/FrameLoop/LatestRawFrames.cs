using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The newest raw (un-annotated) frame of each source that the encode stage has taken: what a capture for
/// retraining saves (HTTP and the window's <c>c</c> key, through <see cref="Control.IDaemonControl.TryGetRawFrame"/>).
/// The stage exchanges its Mat in (no copy); readers copy out under the same per-source lock.
/// </summary>
public sealed class LatestRawFrames : IDisposable
{
    private readonly Mat[] _frames;
    private readonly object[] _gates;

    public LatestRawFrames(int sources)
    {
        _frames = Enumerable.Range(0, sources).Select(_ => new Mat()).ToArray();
        _gates = _frames.Select(_ => new object()).ToArray();
    }

    /// <summary>
    /// Stores <paramref name="frame"/> as the newest of source <paramref name="index"/> and returns the Mat it
    /// replaces, now the caller's. The stored Mat stays readable by the caller until its next exchange.
    /// </summary>
    public Mat Exchange(int index, Mat frame)
    {
        lock (_gates[index]) (_frames[index], frame) = (frame, _frames[index]);
        return frame;
    }

    /// <summary>Copies the newest raw frame of source <paramref name="index"/>; false if none yet or no such source.</summary>
    public bool TryCopy(int index, Mat destination)
    {
        if ((uint)index >= (uint)_frames.Length) return false;
        lock (_gates[index])
        {
            if (_frames[index].Empty()) return false;
            _frames[index].CopyTo(destination);
            return true;
        }
    }

    public void Dispose()
    {
        foreach (var f in _frames) f.Dispose();
    }
}
