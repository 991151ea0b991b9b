using OpenCvSharp;
using OpenCvSharp.Internal;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Draws the HUD over an annotated frame: top-k labels with confidence bars, source, fps, inference and
/// end-to-end latency, model and provider, dropped frames. Numbers come from cached strings so drawing
/// allocates nothing per frame, and drawing calls OpenCV's native entry points on one cached
/// <see cref="InputOutputArray"/> per target (Cv2.PutText/Rectangle wrap a Mat in a new finalizable array per
/// call, ~150 bytes each, and dispose a passed-in one); sizes scale with the frame so 640×480 and 1080p are
/// both readable.
/// </summary>
public sealed class HudPainter
{
    private static readonly string[] Percent = Enumerable.Range(0, 101).Select(i => $"{i,3}%").ToArray();
    private static readonly string[] Numbers = Enumerable.Range(0, 1000).Select(i => i.ToString()).ToArray();
    private static readonly Scalar Text = new(255, 255, 255);
    private static readonly Scalar Shadow = new(0, 0, 0);
    private static readonly Scalar Bar = new(80, 200, 80);
    private static readonly Scalar BarBack = new(60, 60, 60);
    private static readonly Scalar Wrong = new(60, 60, 230);
    private readonly HudState _state;

    public HudPainter(HudState state) => _state = state;

    /// <param name="target">A wrapper over <paramref name="frame"/> created once by the caller with InputOutputArray.Create.</param>
    public void Draw(Mat frame, InputOutputArray target, FrameReport r)
    {
        if (!_state.Visible || frame.Empty()) return;
        double scale = Math.Max(0.45, frame.Rows / 900.0);
        int line = (int)(26 * scale);
        int x = (int)(10 * scale), y = line;

        if (_state.IsShown("source"))
        {
            Put(target, r.Source, x, y, scale);
            y += line;
        }
        if (_state.IsShown("fps"))
        {
            Put(target, Number(r.SourceFps), x, y, scale);
            Put(target, "fps", x + (int)(50 * scale), y, scale);
            y += line;
        }
        if (_state.IsShown("latency"))
        {
            Put(target, Number(r.InferenceMs), x, y, scale);
            Put(target, "ms infer", x + (int)(50 * scale), y, scale);
            Put(target, Number(r.EndToEndMs), x + (int)(170 * scale), y, scale);
            Put(target, "ms e2e", x + (int)(220 * scale), y, scale);
            y += line;
        }
        if (_state.IsShown("model"))
        {
            Put(target, r.ModelName, x, y, scale);
            Put(target, r.Provider, x + (int)(260 * scale), y, scale);
            y += line;
        }
        if (_state.IsShown("dropped"))
        {
            Put(target, Number(r.Dropped), x, y, scale);
            Put(target, "dropped", x + (int)(50 * scale), y, scale);
            y += line;
        }
        if (_state.IsShown("labels"))
        {
            int barWidth = (int)(160 * scale);
            for (int i = 0; i < r.TopCount; i++)
            {
                y += line;
                float p = Math.Clamp(r.TopScores[i], 0f, 1f);
                var back = new Rect(x, y - line + 6, barWidth, line - 8);
                Rectangle(frame, back, BarBack, -1);
                bool wrong = i == 0 && r.GroundTruth is { } gt && gt != r.TopIndices[0];
                Rectangle(frame, back with { Width = Math.Max(1, (int)(barWidth * p)) }, wrong ? Wrong : Bar, -1);
                Put(target, Percent[(int)MathF.Round(p * 100)], x + barWidth + 6, y, scale);
                Put(target, r.Labels[r.TopIndices[i]], x + barWidth + (int)(60 * scale), y, scale);
            }
        }
        if (_state.IsShown("reticle"))
        {
            int side = Math.Min(frame.Rows, frame.Cols) * 9 / 10;
            var box = new Rect((frame.Cols - side) / 2, (frame.Rows - side) / 2, side, side);
            Rectangle(frame, box, Bar, Math.Max(1, (int)scale));
        }
    }

    private static string Number(double value) => Numbers[(int)Math.Clamp(Math.Round(value), 0, Numbers.Length - 1)];

    private static void Put(InputOutputArray target, string? text, int x, int y, double scale)
    {
        if (string.IsNullOrEmpty(text)) return;
        PutText(target, text, new Point(x + 1, y + 1), 0.6 * scale, Shadow, Math.Max(1, (int)(2 * scale)));
        PutText(target, text, new Point(x, y), 0.6 * scale, Text, Math.Max(1, (int)(1.5 * scale)));
    }

    private static void PutText(InputOutputArray target, string text, Point at, double fontScale, Scalar color, int thickness)
    {
        var status = NativeMethods.imgproc_putText(target.CvPtr, text, at, (int)HersheyFonts.HersheySimplex, fontScale, color,
            thickness, (int)LineTypes.AntiAlias, 0);
        GC.KeepAlive(target);
        if (status != ExceptionStatus.NotOccurred) throw new InvalidOperationException("cv::putText failed");
    }

    private static void Rectangle(Mat frame, Rect rect, Scalar color, int thickness)
    {
        var status = NativeMethods.imgproc_rectangle_Mat_Rect(frame.CvPtr, rect, color, thickness, (int)LineTypes.Link8, 0);
        GC.KeepAlive(frame);
        if (status != ExceptionStatus.NotOccurred) throw new InvalidOperationException("cv::rectangle failed");
    }
}
