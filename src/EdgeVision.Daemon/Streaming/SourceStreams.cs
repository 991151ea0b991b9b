namespace EdgeVision.Daemon.Streaming;

/// <summary>Everything the hub keeps for one source: its annotated and raw feeds and its newest prediction.</summary>
internal sealed class SourceStreams(string name, int jpegQuality)
{
    public string Name { get; } = name;
    public FrameFeed Annotated { get; } = new();
    public FrameFeed Raw { get; } = new();
    public ScaledJpegCache AnnotatedScaled { get; } = new(jpegQuality);
    public ScaledJpegCache RawScaled { get; } = new(jpegQuality);

    /// <summary>The newest prediction, serialized only when read.</summary>
    public PredictionSnapshot LatestPrediction { get; } = new();

    public FrameFeed Feed(StreamKind kind) => kind == StreamKind.Raw ? Raw : Annotated;

    public ScaledJpegCache Scaled(StreamKind kind) => kind == StreamKind.Raw ? RawScaled : AnnotatedScaled;
}
