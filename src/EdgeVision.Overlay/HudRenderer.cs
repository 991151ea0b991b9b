using OpenCvSharp;

namespace EdgeVision.Overlay;

/// <summary>
/// Draws the HUD onto a BGR frame in place with OpenCV: status rows, model rows, top-k with confidence bars, the
/// reticle and a frame-time graph, each toggled by <see cref="HudOptions"/> and scaled from the frame height so it
/// reads the same at 640×480 and 1920×1080. One renderer per output stream, used by one thread; it caches its
/// formatted strings, so a steady frame draws without formatting or allocating.
/// </summary>
public sealed class HudRenderer
{
    private const HersheyFonts Font = HersheyFonts.HersheySimplex;
    private const int MaxFitEntries = 256;
    private static readonly Scalar PanelColour = new(12, 12, 12);
    private static readonly Scalar TextColour = new(235, 235, 235);
    private static readonly Scalar DimColour = new(170, 170, 170);
    private static readonly Scalar AccentColour = new(80, 220, 80);
    private static readonly Scalar WarnColour = new(40, 160, 255);
    private static readonly Scalar WrongColour = new(60, 60, 230);
    private static readonly Scalar BarColour = new(200, 140, 60);
    private static readonly Scalar ReticleColour = new(60, 230, 230);
    private static readonly Scalar GuideColour = new(90, 90, 90);

    private readonly HudText _text = new();
    private readonly Dictionary<string, string> _fitted = new(ReferenceEqualityComparer.Instance);
    private int _fittedWidth;
    private double _fittedScale;

    public HudRenderer(HudOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true))
            throw new ArgumentException(string.Join("; ", errors.Select(e => e.ErrorMessage)), nameof(options));
        Options = options;
    }

    public HudOptions Options { get; }

    /// <summary>The layout this renderer uses for a frame of <paramref name="frame"/> size.</summary>
    public HudLayout LayoutFor(Size frame) => new(frame, Options.TopKCount);

    public void Draw(Mat frame, HudState state)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(state);
        if (frame.Empty() || frame.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"the HUD draws on a non-empty CV_8UC3 frame, got {frame.Width}x{frame.Height} {frame.Type()}", nameof(frame));
        var o = Options;
        if (!o.Enabled) return;
        var layout = LayoutFor(frame.Size());
        // One native array header per frame for all the text rows: OpenCvSharp's PutText would wrap the Mat in
        // a new one for every call (about 100 managed bytes each, a dozen rows a frame).
        using var target = new TextTarget(frame);

        if (o.Reticle && state.Reticle is { } reticle) DrawReticle(frame, reticle, layout);

        if (o.SourceName) Row(target, layout, HudElement.SourceName, state.SourceName, state.NoSignal ? WarnColour : TextColour);
        if (o.Fps) Row(target, layout, HudElement.Fps, _text.Fps(state.Fps), AccentColour);
        if (o.Dropped) Row(target, layout, HudElement.Dropped, _text.Dropped(state.Dropped), state.Dropped > 0 ? WarnColour : DimColour);
        if (o.Accuracy && state.AccuracyTotal > 0)
            Row(target, layout, HudElement.Accuracy, _text.Accuracy(state.AccuracyCorrect, state.AccuracyTotal), AccentColour);

        if (o.Model) Row(target, layout, HudElement.Model, _text.Model(state.ModelName, state.Precision), TextColour);
        if (o.Provider && state.Provider.Length > 0)
            Row(target, layout, HudElement.Provider, state.Provider, state.ProviderIsCpu ? WarnColour : AccentColour);
        if (o.InferenceTime) Row(target, layout, HudElement.InferenceTime, _text.Inference(state.InferenceMs), TextColour);
        if (o.Latency) Row(target, layout, HudElement.Latency, _text.Latency(state.LatencyMs), TextColour);

        if (o.TopK && !state.NoSignal && state.TopCount > 0) DrawTopK(target, state, layout);
        if (o.FrameGraph && state.FrameTimes.Count >= 2) DrawGraph(frame, state.FrameTimes, layout);
    }

    private void Row(TextTarget target, HudLayout layout, HudElement element, string text, Scalar colour)
    {
        var rect = layout.Region(element);
        if (rect.Width <= 0 || rect.Height <= 0) return;
        PanelBlend.Fill(target.Frame, rect, PanelColour, Options.PanelOpacity);
        Text(target, layout, rect, text, colour);
    }

    private void Text(TextTarget target, HudLayout layout, Rect rect, string text, Scalar colour)
    {
        int pad = Math.Max(2, layout.RowHeight / 5);
        string fitted = Fit(text, rect.Width - 2 * pad, layout);
        var origin = new Point(rect.X + pad, rect.Y + (int)(layout.RowHeight * 0.72));
        target.PutText(fitted, origin, Font, layout.FontScale, colour, layout.Thickness);
    }

    /// <summary>The text cut (with "…" as "..") to fit the width; cached per string instance.</summary>
    private string Fit(string text, int width, HudLayout layout)
    {
        if (width != _fittedWidth || layout.FontScale != _fittedScale)
        {
            _fitted.Clear();
            _fittedWidth = width;
            _fittedScale = layout.FontScale;
        }
        if (_fitted.TryGetValue(text, out string? fitted)) return fitted;
        if (_fitted.Count >= MaxFitEntries) _fitted.Clear();
        fitted = text;
        while (fitted.Length > 1 && Cv2.GetTextSize(fitted, Font, layout.FontScale, layout.Thickness, out _).Width > width)
            fitted = fitted[..^(fitted.EndsWith("..", StringComparison.Ordinal) ? 3 : 1)] + "..";
        _fitted[text] = fitted;
        return fitted;
    }

    private void DrawTopK(TextTarget target, HudState state, HudLayout layout)
    {
        var frame = target.Frame;
        int n = Math.Min(state.TopCount, layout.TopKCount);
        var indices = state.TopIndices;
        var scores = state.TopScores;
        int pad = Math.Max(2, layout.RowHeight / 6);
        for (int i = 0; i < n; i++)
        {
            var row = layout.TopKRow(i);
            PanelBlend.Fill(frame, row, PanelColour, Options.PanelOpacity);
            float score = Math.Clamp(scores[i], 0f, 1f);
            int barWidth = (int)Math.Round((row.Width - 2 * pad) * score);
            Scalar colour = i == 0
                ? state.GroundTruth is { } truth ? (indices[0] == truth ? AccentColour : WrongColour) : AccentColour
                : BarColour;
            if (barWidth > 0)
                PanelBlend.Fill(frame, new Rect(row.X + pad, row.Y + pad, barWidth, row.Height - 2 * pad), colour, 0.55);
            Text(target, layout, row, _text.TopK(state.Labels, indices[i], score), TextColour);
        }
    }

    // The reticle and the graph are axis-aligned boxes written straight into the pixels (PanelBlend): every
    // OpenCvSharp drawing call wraps the Mat in a new InputOutputArray, about 100 managed bytes each.
    private static void DrawReticle(Mat frame, Rect r, HudLayout layout)
    {
        r &= new Rect(0, 0, frame.Width, frame.Height);
        if (r.Width < 8 || r.Height < 8) return;
        int t = Math.Min(layout.Thickness + 1, Math.Min(r.Width, r.Height) / 4);
        int arm = Math.Max(3 * t, Math.Min(r.Width, r.Height) / 8);
        // Corner brackets keep the subject visible; a full box would hide its edges.
        Solid(frame, new Rect(r.X, r.Y, arm, t));
        Solid(frame, new Rect(r.X, r.Y, t, arm));
        Solid(frame, new Rect(r.Right - arm, r.Y, arm, t));
        Solid(frame, new Rect(r.Right - t, r.Y, t, arm));
        Solid(frame, new Rect(r.X, r.Bottom - t, arm, t));
        Solid(frame, new Rect(r.X, r.Bottom - arm, t, arm));
        Solid(frame, new Rect(r.Right - arm, r.Bottom - t, arm, t));
        Solid(frame, new Rect(r.Right - t, r.Bottom - arm, t, arm));
        int cx = r.X + r.Width / 2, cy = r.Y + r.Height / 2, c = Math.Max(3, arm / 4), w = Math.Max(1, t / 2);
        Solid(frame, new Rect(cx - c, cy - w / 2, 2 * c + 1, w));
        Solid(frame, new Rect(cx - w / 2, cy - c, w, 2 * c + 1));
    }

    private static void Solid(Mat frame, Rect rect) => PanelBlend.Fill(frame, rect, ReticleColour, 1);

    private void DrawGraph(Mat frame, FrameTimeHistory history, HudLayout layout)
    {
        var rect = layout.Region(HudElement.FrameGraph);
        if (rect.Width < 8 || rect.Height < 8) return;
        PanelBlend.Fill(frame, rect, PanelColour, Options.PanelOpacity);
        const float Budget30 = 1000f / 30;
        float top = Math.Max(Budget30 * 1.5f, history.Max() * 1.1f);
        int inset = Math.Max(2, layout.Thickness * 2);
        var plot = new Rect(rect.X + inset, rect.Y + inset, rect.Width - 2 * inset, rect.Height - 2 * inset);
        // One bar per frame, newest on the right, as in game performance overlays; bars over the 30 fps budget
        // (the frames a viewer notices) are orange.
        int count = history.Count;
        double barWidth = plot.Width / (double)history.Capacity;
        for (int i = 0; i < count; i++)
        {
            float value = history[i];
            int height = Math.Max(1, (int)(plot.Height * Math.Min(value, top) / top));
            int x0 = plot.Right - (int)Math.Round((count - i) * barWidth);
            int x1 = plot.Right - (int)Math.Round((count - i - 1) * barWidth);
            if (x1 <= x0) continue;
            PanelBlend.Fill(frame, new Rect(x0, plot.Bottom - height, x1 - x0, height), value > Budget30 ? WarnColour : AccentColour, 0.85);
        }
        int guideY = plot.Bottom - (int)(plot.Height * Budget30 / top);
        PanelBlend.Fill(frame, new Rect(plot.X, guideY, plot.Width, Math.Max(1, layout.Thickness / 2)), GuideColour, 0.9);
    }
}
