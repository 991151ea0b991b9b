namespace EdgeVision.Capture;

/// <summary>What kind of thing a source reads from.</summary>
public enum SourceKind
{
    /// <summary>A V4L2 camera, by index ("0") or device node ("/dev/video0").</summary>
    Camera,

    /// <summary>A video file decoded by OpenCV, paced to its own frame rate.</summary>
    File,

    /// <summary>A folder of images shown in alphabetical order, each for <see cref="SourceOptions.ImageDuration"/>.</summary>
    Folder,

    /// <summary>Raw BGR frames read from a child process (ffmpeg or gst-launch-1.0) stdout.</summary>
    Pipe,

    /// <summary>The built-in Fashion-MNIST demo with motion and ground truth; needs no camera.</summary>
    Demo,
}

/// <summary>The program a <see cref="SourceKind.Pipe"/> source runs.</summary>
public enum PipeProgram
{
    /// <summary>ffmpeg: RTSP, HTTP, any URL or file (OpenCV's bundled FFmpeg has no network support).</summary>
    Ffmpeg,

    /// <summary>gst-launch-1.0: CSI cameras (nvarguscamerasrc) and hardware decode on a Jetson.</summary>
    GStreamer,
}
