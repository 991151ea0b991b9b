using System.Globalization;

namespace EdgeVision.Capture;

/// <summary>
/// The program and argv list of a pipe source, built from options. Every user string is one argument (passed
/// through <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>, never a shell), and inputs are pinned
/// to what they claim to be: a local path is prefixed with "file:" so ffmpeg cannot read it as another protocol
/// or an option, and URLs are limited to streaming schemes.
/// </summary>
public sealed record PipeCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public const string FfmpegProgram = "ffmpeg";
    public const string GStreamerProgram = "gst-launch-1.0";

    /// <summary>URL schemes ffmpeg may open; others (pipe:, concat:, subfile:, data:…) could read local files or fds.</summary>
    public static readonly IReadOnlySet<string> AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "rtp", "tcp", "srt", "hls",
    };

    /// <summary>Bytes of one raw BGR frame.</summary>
    public static long FrameBytes(SourceOptions options) => (long)options.Width * options.Height * 3;

    public static PipeCommand Build(SourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Width < SourceOptions.MinDimension || options.Height < SourceOptions.MinDimension)
            throw new SourceException($"source '{options.Name}': a pipe source needs Width and Height (got {options.Width}x{options.Height})");
        return options.Program switch
        {
            PipeProgram.Ffmpeg => BuildFfmpeg(options),
            PipeProgram.GStreamer => BuildGStreamer(options),
            _ => throw new SourceException($"source '{options.Name}': unknown pipe program {options.Program}"),
        };
    }

    /// <summary>The command as one line for logs: arguments quoted where needed, credentials redacted.</summary>
    public string ToDisplayString()
    {
        var parts = new List<string> { FileName };
        foreach (string a in Arguments)
            parts.Add(a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`' or ';' or '&' or '|' or '(' or ')' or '<' or '>' or '*')
                ? "'" + a.Replace("'", "'\\''") + "'"
                : a);
        return UrlRedactor.Redact(string.Join(' ', parts));
    }

    private static PipeCommand BuildFfmpeg(SourceOptions options)
    {
        var args = new List<string> { "-nostdin", "-hide_banner", "-loglevel", "error" };
        string input;
        if (!string.IsNullOrWhiteSpace(options.Uri))
        {
            input = options.Uri;
            if (!System.Uri.TryCreate(input, UriKind.Absolute, out var uri) || !AllowedSchemes.Contains(uri.Scheme))
                throw new SourceException($"source '{options.Name}': Uri '{input}' is not an absolute {string.Join("/", AllowedSchemes.Order())} URL");
            if (uri.Scheme.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase))
                args.AddRange(["-rtsp_transport", options.RtspTransport]);
        }
        else
        {
            string path = options.Path ?? throw new SourceException($"source '{options.Name}': Uri or Path is required for an ffmpeg pipe");
            input = "file:" + System.IO.Path.GetFullPath(path);
            // A file is played at its own rate, like a camera, and loops if asked.
            args.Add("-re");
            if (options.Loop) args.AddRange(["-stream_loop", "-1"]);
        }
        args.AddRange(["-i", input, "-an", "-sn", "-dn"]);
        string filter = string.Create(CultureInfo.InvariantCulture, $"scale={options.Width}:{options.Height}");
        if (options.Fps > 0) filter += string.Create(CultureInfo.InvariantCulture, $",fps={options.Fps:0.###}");
        args.AddRange(["-vf", filter, "-pix_fmt", "bgr24", "-f", "rawvideo", "-"]);
        return new PipeCommand(options.ProgramPath ?? FfmpegProgram, args);
    }

    private static PipeCommand BuildGStreamer(SourceOptions options)
    {
        // -q keeps gst-launch's progress messages off stdout, which carries the frames.
        var args = new List<string> { "-q", "-e" };
        if (!string.IsNullOrWhiteSpace(options.Pipeline))
        {
            foreach (string token in options.Pipeline.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.StartsWith("fd=", StringComparison.Ordinal) || token is "fdsink" or "filesink")
                    throw new SourceException($"source '{options.Name}': Pipeline must describe only the source part; EdgeVision adds the sink (found '{token}')");
                args.Add(token);
            }
        }
        else
        {
            int sensor = string.IsNullOrWhiteSpace(options.Device) ? 0 : int.Parse(options.Device, CultureInfo.InvariantCulture);
            int fps = options.Fps > 0 ? (int)Math.Round(options.Fps) : 30;
            args.AddRange([
                "nvarguscamerasrc", string.Create(CultureInfo.InvariantCulture, $"sensor-id={sensor}"), "!",
                string.Create(CultureInfo.InvariantCulture, $"video/x-raw(memory:NVMM),width={options.Width},height={options.Height},framerate={fps}/1"), "!",
                "nvvidconv", "!", "video/x-raw,format=BGRx",
            ]);
        }
        args.AddRange([
            "!", "videoconvert", "!", "videoscale", "!",
            string.Create(CultureInfo.InvariantCulture, $"video/x-raw,format=BGR,width={options.Width},height={options.Height}"), "!",
            "fdsink", "fd=1", "sync=false",
        ]);
        return new PipeCommand(options.ProgramPath ?? GStreamerProgram, args);
    }
}
