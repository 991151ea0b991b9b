using OpenCvSharp;

namespace EdgeVision.Capture;

/// <summary>
/// The placeholder shown while a source is down: colour bars, "NO SIGNAL" and the source name. Rendered once per
/// runner and copied into the slot, so a flapping camera costs a memcpy, not a redraw.
/// </summary>
public static class NoSignalFrame
{
    private static readonly Scalar[] Bars =
    [
        new(192, 192, 192), new(0, 192, 192), new(192, 192, 0), new(0, 192, 0),
        new(192, 0, 192), new(0, 0, 192), new(192, 0, 0),
    ];

    /// <summary>Renders into <paramref name="destination"/> (reallocated to width×height BGR if needed).</summary>
    public static void Render(Mat destination, int width, int height, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (width < 16 || height < 16) throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is too small for a NO SIGNAL frame");
        destination.Create(height, width, MatType.CV_8UC3);
        destination.SetTo(new Scalar(16, 16, 16));
        int barHeight = height * 2 / 3;
        for (int i = 0; i < Bars.Length; i++)
        {
            int x0 = i * width / Bars.Length;
            int x1 = (i + 1) * width / Bars.Length;
            // Dimmed bars so the text on top stays the brightest thing on screen.
            destination.Rectangle(new Rect(x0, 0, x1 - x0, barHeight), new Scalar(Bars[i].Val0 * 0.55, Bars[i].Val1 * 0.55, Bars[i].Val2 * 0.55), -1);
        }
        double scale = height / 240.0;
        int thickness = Math.Max(1, (int)Math.Round(scale * 1.5));
        DrawCentered(destination, "NO SIGNAL", height / 2, scale * 1.2, thickness + 1, Scalar.White);
        DrawCentered(destination, UrlRedactor.Redact(sourceName), barHeight + (height - barHeight) / 2, scale * 0.6, thickness, new Scalar(200, 200, 200));
    }

    private static void DrawCentered(Mat image, string text, int centreY, double scale, int thickness, Scalar colour)
    {
        var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, scale, thickness, out int baseline);
        var origin = new Point((image.Width - size.Width) / 2, centreY + size.Height / 2);
        image.PutText(text, origin + new Point(2, 2), HersheyFonts.HersheySimplex, scale, Scalar.Black, thickness + 1, LineTypes.AntiAlias);
        image.PutText(text, origin, HersheyFonts.HersheySimplex, scale, colour, thickness, LineTypes.AntiAlias);
        _ = baseline;
    }
}
