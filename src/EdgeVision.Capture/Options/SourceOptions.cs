using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Capture;

/// <summary>
/// One source, bound from configuration (e.g. <c>Capture:Sources:0</c>). Validated at start; messages name the key.
/// </summary>
public sealed class SourceOptions : IValidatableObject
{
    public const int MinDimension = 16;
    public const int MaxDimension = 8192;
    public const double MaxFps = 1000;

    /// <summary>Shown on the HUD, used in URLs (<c>/stream/{name}</c>) and logs; letters, digits, '-', '_', '.'.</summary>
    [Required]
    public string Name { get; set; } = "demo";

    public SourceKind Kind { get; set; } = SourceKind.Demo;

    /// <summary>Camera: index ("0") or device node ("/dev/video0"). GStreamer CSI: the sensor id ("0").</summary>
    public string? Device { get; set; }

    /// <summary>File: the video file. Folder: the image folder. Pipe/ffmpeg: a local file instead of <see cref="Uri"/>.</summary>
    public string? Path { get; set; }

    /// <summary>Pipe/ffmpeg: rtsp://, http(s)://, udp://… May carry user:pass@, which is never logged.</summary>
    public string? Uri { get; set; }

    /// <summary>Requested frame width. Pipe sources need it (frames are raw); cameras ask the driver; 0 = default.</summary>
    [Range(0, MaxDimension)]
    public int Width { get; set; }

    [Range(0, MaxDimension)]
    public int Height { get; set; }

    /// <summary>Camera: requested rate. Folder/Demo: output rate. 0 = default (camera/file: native, demo: 30).</summary>
    [Range(0, MaxFps)]
    public double Fps { get; set; }

    /// <summary>Camera pixel format, four characters, e.g. "MJPG" or "YUYV".</summary>
    public string? FourCC { get; set; }

    /// <summary>File/Folder: start again at the end instead of ending the stream.</summary>
    public bool Loop { get; set; } = true;

    /// <summary>Folder: how long each image stays on screen.</summary>
    public TimeSpan ImageDuration { get; set; } = TimeSpan.FromSeconds(2);

    public PipeProgram Program { get; set; } = PipeProgram.Ffmpeg;

    /// <summary>Pipe/ffmpeg: "tcp" (default, robust through NAT and loss) or "udp"; only used for rtsp:// URLs.</summary>
    public string RtspTransport { get; set; } = "tcp";

    /// <summary>
    /// Pipe/GStreamer: the source part of the pipeline, as gst-launch-1.0 elements and properties
    /// (e.g. "nvarguscamerasrc sensor-id=0 ! video/x-raw(memory:NVMM),width=1280,height=720 ! nvvidconv").
    /// Tokens are passed as separate arguments, never through a shell. Empty: a CSI camera pipeline is built.
    /// </summary>
    public string? Pipeline { get; set; }

    /// <summary>Pipe: the program to run instead of the one on PATH (e.g. /usr/local/bin/ffmpeg).</summary>
    public string? ProgramPath { get; set; }

    /// <summary>No frame for this long and the source is torn down and reopened (watched from outside the capture thread).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First delay before reopening; doubles per failure up to <see cref="BackoffMax"/>, reset after a good frame.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Demo: the folder with index.csv and the images; empty = models/demo/fashion-mnist found from the app base.</summary>
    public string? DemoPath { get; set; }

    /// <summary>Demo: how long each garment stays on screen, transition included.</summary>
    public TimeSpan DemoImageDuration { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>Demo: seed of the motion and image order (deterministic for tests).</summary>
    public int DemoSeed { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string error in Errors())
            yield return new ValidationResult(error);
    }

    /// <summary>Every problem with these options, each naming the key; empty when valid.</summary>
    public IReadOnlyList<string> Errors(string prefix = "Source")
    {
        var errors = new List<string>();
        string key = string.IsNullOrWhiteSpace(Name) ? prefix : $"{prefix}[{Name}]";
        if (string.IsNullOrWhiteSpace(Name))
            errors.Add($"{prefix}:{nameof(Name)} is empty");
        else if (!IsValidName(Name))
            errors.Add($"{key}:{nameof(Name)} '{Name}' may only hold letters, digits, '-', '_' and '.' (it appears in URLs)");
        if (Width is < 0 or > MaxDimension || (Width > 0 && Width < MinDimension))
            errors.Add($"{key}:{nameof(Width)} {Width} is outside {MinDimension}..{MaxDimension} (0 = default)");
        if (Height is < 0 or > MaxDimension || (Height > 0 && Height < MinDimension))
            errors.Add($"{key}:{nameof(Height)} {Height} is outside {MinDimension}..{MaxDimension} (0 = default)");
        if (!(Fps >= 0 && Fps <= MaxFps))
            errors.Add($"{key}:{nameof(Fps)} {Fps} is outside 0..{MaxFps} (0 = default)");
        if (StallTimeout < TimeSpan.FromMilliseconds(50) || StallTimeout > TimeSpan.FromHours(1))
            errors.Add($"{key}:{nameof(StallTimeout)} {StallTimeout} is outside 00:00:00.05..01:00:00");
        if (BackoffInitial <= TimeSpan.Zero || BackoffInitial > TimeSpan.FromMinutes(10))
            errors.Add($"{key}:{nameof(BackoffInitial)} {BackoffInitial} must be positive and at most 10 minutes");
        if (BackoffMax < BackoffInitial || BackoffMax > TimeSpan.FromHours(1))
            errors.Add($"{key}:{nameof(BackoffMax)} {BackoffMax} must be between {nameof(BackoffInitial)} and 1 hour");
        switch (Kind)
        {
            case SourceKind.Camera:
                if (string.IsNullOrWhiteSpace(Device))
                    errors.Add($"{key}:{nameof(Device)} is required for a camera: an index (\"0\") or a node (\"/dev/video0\")");
                else if (!CameraDevice.TryParse(Device, out _))
                    errors.Add($"{key}:{nameof(Device)} '{Device}' is neither a camera index nor /dev/videoN");
                if (FourCC is { } f && f.Length != 4)
                    errors.Add($"{key}:{nameof(FourCC)} '{f}' must be exactly four characters (e.g. MJPG, YUYV)");
                break;
            case SourceKind.File:
                if (string.IsNullOrWhiteSpace(Path))
                    errors.Add($"{key}:{nameof(Path)} is required for a video file source");
                break;
            case SourceKind.Folder:
                if (string.IsNullOrWhiteSpace(Path))
                    errors.Add($"{key}:{nameof(Path)} is required for an image folder source");
                if (ImageDuration < TimeSpan.FromMilliseconds(1) || ImageDuration > TimeSpan.FromHours(24))
                    errors.Add($"{key}:{nameof(ImageDuration)} {ImageDuration} is outside 1 ms..24 h");
                break;
            case SourceKind.Pipe:
                if (Width == 0 || Height == 0)
                    errors.Add($"{key}:{nameof(Width)} and {nameof(Height)} are required for a pipe source (frames are raw BGR of that size)");
                if (Program == PipeProgram.Ffmpeg && string.IsNullOrWhiteSpace(Uri) && string.IsNullOrWhiteSpace(Path))
                    errors.Add($"{key}:{nameof(Uri)} or {nameof(Path)} is required for an ffmpeg pipe source");
                if (RtspTransport is not ("tcp" or "udp"))
                    errors.Add($"{key}:{nameof(RtspTransport)} '{RtspTransport}' must be tcp or udp");
                if (Program == PipeProgram.GStreamer && string.IsNullOrWhiteSpace(Pipeline)
                    && !string.IsNullOrWhiteSpace(Device) && !int.TryParse(Device, out _))
                    errors.Add($"{key}:{nameof(Device)} '{Device}' must be a CSI sensor id (0, 1, …) for the built GStreamer pipeline");
                break;
            case SourceKind.Demo:
                if (DemoImageDuration < TimeSpan.FromMilliseconds(100) || DemoImageDuration > TimeSpan.FromMinutes(10))
                    errors.Add($"{key}:{nameof(DemoImageDuration)} {DemoImageDuration} is outside 100 ms..10 min");
                break;
            default:
                errors.Add($"{key}:{nameof(Kind)} '{Kind}' is not one of Camera, File, Folder, Pipe, Demo");
                break;
        }
        return errors;
    }

    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64) return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        }
        return true;
    }
}
