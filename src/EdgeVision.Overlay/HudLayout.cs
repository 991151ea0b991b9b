using OpenCvSharp;

namespace EdgeVision.Overlay;

/// <summary>
/// Where each element goes, scaled from the frame height (designed at 480 lines): status rows top-left, model rows
/// top-right, top-k bottom-left, the frame-time graph bottom-right. Every element owns a fixed box, so toggling one
/// never moves another.
/// </summary>
public readonly struct HudLayout
{
    public HudLayout(Size frame, int topK)
    {
        Frame = frame;
        Scale = Math.Max(0.5, frame.Height / 480.0);
        Margin = Px(8);
        RowHeight = Px(22);
        FontScale = 0.5 * Scale;
        Thickness = Math.Max(1, (int)Math.Round(Scale));
        LeftWidth = Math.Min(Px(190), frame.Width / 2 - Margin);
        RightWidth = Math.Min(Px(210), frame.Width / 2 - Margin);
        TopKWidth = Math.Min(Px(250), frame.Width / 2 - Margin);
        TopKCount = topK;
        GraphWidth = Math.Min(Px(160), frame.Width / 3);
        GraphHeight = Px(60);
    }

    public Size Frame { get; }
    public double Scale { get; }
    public int Margin { get; }
    public int RowHeight { get; }
    public double FontScale { get; }
    public int Thickness { get; }
    public int LeftWidth { get; }
    public int RightWidth { get; }
    public int TopKWidth { get; }
    public int TopKCount { get; }
    public int GraphWidth { get; }
    public int GraphHeight { get; }

    /// <summary>The box an element draws in (the reticle's is given by the state, so it is not here).</summary>
    public Rect Region(HudElement element) => element switch
    {
        HudElement.SourceName => LeftRow(0),
        HudElement.Fps => LeftRow(1),
        HudElement.Dropped => LeftRow(2),
        HudElement.Accuracy => LeftRow(3),
        HudElement.Model => RightRow(0),
        HudElement.Provider => RightRow(1),
        HudElement.InferenceTime => RightRow(2),
        HudElement.Latency => RightRow(3),
        HudElement.TopK => Clip(new Rect(Margin, Frame.Height - Margin - TopKCount * RowHeight, TopKWidth, TopKCount * RowHeight)),
        HudElement.FrameGraph => Clip(new Rect(Frame.Width - Margin - GraphWidth, Frame.Height - Margin - GraphHeight, GraphWidth, GraphHeight)),
        _ => throw new ArgumentOutOfRangeException(nameof(element), element, "the reticle's region comes from HudState.Reticle"),
    };

    public Rect TopKRow(int i) => Clip(new Rect(Margin, Frame.Height - Margin - (TopKCount - i) * RowHeight, TopKWidth, RowHeight));

    private Rect LeftRow(int i) => Clip(new Rect(Margin, Margin + i * RowHeight, LeftWidth, RowHeight));

    private Rect RightRow(int i) => Clip(new Rect(Frame.Width - Margin - RightWidth, Margin + i * RowHeight, RightWidth, RowHeight));

    private Rect Clip(Rect r) => r & new Rect(0, 0, Frame.Width, Frame.Height);

    private int Px(double at480) => Math.Max(1, (int)Math.Round(at480 * Scale));
}
