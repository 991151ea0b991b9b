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

        if (o.Reticle && state.Reticle is { } reticle) DrawReticle(frame, reticle, layout);

        if (o.SourceName) Row(frame, layout, HudElement.SourceName, state.SourceName, state.NoSignal ? WarnColour : TextColour);
        if (o.Fps) Row(frame, layout, HudElement.Fps, _text.Fps(state.Fps), AccentColour);
        if (o.Dropped) Row(frame, layout, HudElement.Dropped, _text.Dropped(state.Dropped), state.Dropped > 0 ? WarnColour : DimColour);
        if (o.Accuracy && state.AccuracyTotal > 0)
            Row(frame, layout, HudElement.Accuracy, _text.Accuracy(state.AccuracyCorrect, state.AccuracyTotal), AccentColour);

        if (o.Model) Row(frame, layout, HudElement.Model, _text.Model(state.ModelName, state.Precision), TextColour);
        if (o.Provider && state.Provider.Length > 0)
            Row(frame, layout, HudElement.Provider, state.Provider, state.Provider == "CPU" ? WarnColour : AccentColour);
        if (o.InferenceTime) Row(frame, layout, HudElement.InferenceTime, _text.Inference(state.InferenceMs), TextColour);
        if (o.Latency) Row(frame, layout, HudElement.Latency, _text.Latency(state.LatencyMs), TextColour);

        if (o.TopK && !state.NoSignal && state.TopCount > 0) DrawTopK(frame, state, layout);
        if (o.FrameGraph && state.FrameTimes.Count >= 2) DrawGraph(frame, state.FrameTimes, layout);
    }

    private void Row(Mat frame, HudLayout layout, HudElement element, string text, Scalar colour)
    {
        var rect = layout.Region(element);
        if (rect.Width <= 0 || rect.Height <= 0) return;
        PanelBlend.Fill(frame, rect, PanelColour, Options.PanelOpacity);
        Text(frame, layout, rect, text, colour);
    }

    private void Text(Mat frame, HudLayout layout, Rect rect, string text, Scalar colour)
    {
        int pad = Math.Max(2, layout.RowHeight / 5);
        string fitted = Fit(text, rect.Width - 2 * pad, layout);
        var origin = new Point(rect.X + pad, rect.Y + (int)(layout.RowHeight * 0.72));
        frame.PutText(fitted, origin, Font, layout.FontScale, colour, layout.Thickness, LineTypes.AntiAlias);
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

    private void DrawTopK(Mat frame, HudState state, HudLayout layout)
    {
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
            Text(frame, layout, row, _text.TopK(state.Labels, indices[i], score), TextColour);
        }
    }

    private static void DrawReticle(Mat frame, Rect r, HudLayout layout)
    {
        r &= new Rect(0, 0, frame.Width, frame.Height);
        if (r.Width < 4 || r.Height < 4) return;
        int t = layout.Thickness + 1;
        int arm = Math.Max(6, Math.Min(r.Width, r.Height) / 8);
        // Corner brackets keep the subject visible; a full box would hide its edges.
        int x0 = r.X + t / 2, y0 = r.Y + t / 2, x1 = r.Right - 1 - t / 2, y1 = r.Bottom - 1 - t / 2;
        Corner(frame, x0, y0, arm, arm, t);
        Corner(frame, x1, y0, -arm, arm, t);
        Corner(frame, x0, y1, arm, -arm, t);
        Corner(frame, x1, y1, -arm, -arm, t);
        int cx = r.X + r.Width / 2, cy = r.Y + r.Height / 2, c = Math.Max(3, arm / 4);
        frame.Line(new Point(cx - c, cy), new Point(cx + c, cy), ReticleColour, 1, LineTypes.AntiAlias);
        frame.Line(new Point(cx, cy - c), new Point(cx, cy + c), ReticleColour, 1, LineTypes.AntiAlias);
    }

    private static void Corner(Mat frame, int x, int y, int dx, int dy, int thickness)
    {
        frame.Line(new Point(x, y), new Point(x + dx, y), ReticleColour, thickness, LineTypes.Link8);
        frame.Line(new Point(x, y), new Point(x, y + dy), ReticleColour, thickness, LineTypes.Link8);
    }

    private void DrawGraph(Mat frame, FrameTimeHistory history, HudLayout layout)
    {
        var rect = layout.Region(HudElement.FrameGraph);
        if (rect.Width < 8 || rect.Height < 8) return;
        PanelBlend.Fill(frame, rect, PanelColour, Options.PanelOpacity);
        const float Budget30 = 1000f / 30;
        float top = Math.Max(Budget30 * 1.5f, history.Max() * 1.1f);
        int inset = Math.Max(2, layout.Thickness * 2);
        int left = rect.X + inset, right = rect.Right - 1 - inset, bottom = rect.Bottom - 1 - inset, height = rect.Height - 2 * inset;
        // Guide line at the 30 fps budget: spikes above it are the frames a viewer notices.
        int guideY = bottom - (int)(height * Budget30 / top);
        frame.Line(new Point(left, guideY), new Point(right, guideY), GuideColour, 1, LineTypes.Link8);
        int count = history.Count;
        double dx = (right - left) / (double)(history.Capacity - 1);
        int startX = right - (int)Math.Round(dx * (count - 1));
        var previous = new Point(startX, bottom - (int)(height * Math.Min(history[0], top) / top));
        for (int i = 1; i < count; i++)
        {
            var point = new Point(startX + (int)Math.Round(dx * i), bottom - (int)(height * Math.Min(history[i], top) / top));
            frame.Line(previous, point, history[i] > Budget30 ? WarnColour : AccentColour, layout.Thickness, LineTypes.AntiAlias);
            previous = point;
        }
    }
}
