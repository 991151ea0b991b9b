using EdgeVision.Daemon.Models;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// What the loop knows about one source's frame after inference: filled once by the loop, then read by the
/// encode stage (HUD), the sinks (streams, MQTT, window, recording) and metrics. Three instances per source
/// circulate between the loop and the encode stage by swapping, never by copying, so sinks must copy what they keep.
/// </summary>
public sealed class FrameReport
{
    private readonly int[] _topIndices;
    private readonly float[] _topScores;

    public FrameReport(string source, int sourceIndex, int topK)
    {
        Source = source;
        SourceIndex = sourceIndex;
        _topIndices = new int[topK];
        _topScores = new float[topK];
    }

    public string Source { get; }
    public int SourceIndex { get; }
    public FrameStamp Stamp { get; private set; }
    public long Sequence => Stamp.Sequence;

    /// <summary>Stopwatch ticks when the source captured the frame.</summary>
    public long CapturedAt => Stamp.CapturedAt;
    public int? GroundTruth => Stamp.GroundTruth;

    /// <summary>The model that produced this report (on a NO SIGNAL frame: the one serving).</summary>
    public ModelSummary Model { get; private set; } = ModelSummary.None;
    public IReadOnlyList<string> Labels => Model.Labels;

    /// <summary>Smoothed class indices, best (the hysteresis-held top-1) first.</summary>
    public ReadOnlySpan<int> TopIndices => _topIndices.AsSpan(0, TopCount);
    public ReadOnlySpan<float> TopScores => _topScores.AsSpan(0, TopCount);
    public int TopCount { get; private set; }

    /// <summary>The source is down and this is its NO SIGNAL frame: shown, not classified.</summary>
    public bool NoSignal { get; private set; }
    public InferenceTiming Inference { get; private set; }
    public SourceRate Rate { get; private set; }

    /// <summary>Capture to encoded JPEG, set by the encode stage.</summary>
    public double EndToEndMs { get; set; }

    public string? TopLabel => TopCount > 0 ? Labels[_topIndices[0]] : null;

    public void FillInferred(FrameStamp stamp, ModelSummary model, ReadOnlySpan<int> topIndices, ReadOnlySpan<float> topScores,
        InferenceTiming inference, SourceRate rate)
    {
        Stamp = stamp;
        Model = model;
        TopCount = Math.Min(topIndices.Length, _topIndices.Length);
        topIndices[..TopCount].CopyTo(_topIndices);
        topScores[..TopCount].CopyTo(_topScores);
        NoSignal = false;
        Inference = inference;
        Rate = rate;
        EndToEndMs = 0;
    }

    public void FillNoSignal(FrameStamp stamp, ModelSummary model, SourceRate rate)
    {
        Stamp = stamp with { GroundTruth = null };
        Model = model;
        TopCount = 0;
        NoSignal = true;
        Inference = default;
        Rate = rate with { Fps = 0 };
        EndToEndMs = 0;
    }
}
