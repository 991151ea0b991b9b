using System.Globalization;
using EdgeVision.Daemon.Streaming;

namespace EdgeVision.Daemon.Http;

/// <summary>A stream client's <c>?fps=</c> and <c>?width=</c>, parsed and capped by the server's limits.</summary>
public readonly record struct StreamQuery(int Fps, int Width)
{
    /// <summary>Null and a reason when a value is present but not a positive integer.</summary>
    public static (StreamQuery Query, string? Error) Parse(IQueryCollection query, HttpOptions options)
    {
        int fps = options.MaxStreamFps;
        int width = 0;
        if (query.TryGetValue("fps", out var fpsText))
        {
            if (!int.TryParse(fpsText, NumberStyles.None, CultureInfo.InvariantCulture, out fps) || fps < 1)
                return (default, $"fps must be a positive integer, not '{Shorten(fpsText)}'");
            fps = Math.Min(fps, options.MaxStreamFps);
        }
        if (query.TryGetValue("width", out var widthText))
        {
            if (!int.TryParse(widthText, NumberStyles.None, CultureInfo.InvariantCulture, out width) || width < 1)
                return (default, $"width must be a positive integer, not '{Shorten(widthText)}'");
            width = ScaledJpegCache.Quantize(Math.Min(width, options.MaxStreamWidth));
        }
        return (new StreamQuery(fps, width), null);
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 32 ? text : text[..32] + "…";
}
