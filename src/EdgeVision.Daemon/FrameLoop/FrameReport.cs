namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// What the loop knows about one source's frame after inference, handed to the encode stage and the
/// sinks. Instances are reused (one pair per source), so sinks must copy what they keep.
/// </summary>
public sealed class FrameReport
{
    public FrameReport(int topK)
    {
        TopIndices = new int[topK];
        TopScores = new float[topK];
    }

    public string Source { get; set; } = "";
    public int SourceIndex { get; set; }
    public long Sequence { get; set; }

    /// <summary>Stopwatch ticks when the source captured the frame.</summary>
    public long CapturedAt { get; set; }
    public int? GroundTruth { get; set; }
    public int[] TopIndices { get; }
    public float[] TopScores { get; }
    public int TopCount { get; set; }

    /// <summary>Labels of the model that produced this report.</summary>
    public IReadOnlyList<string> Labels { get; set; } = [];
    public string ModelName { get; set; } = "";
    public EdgeVision.Core.Model.Precision Precision { get; set; }

    /// <summary>The model centre-crops (else it stretches the whole frame): where the HUD draws the reticle.</summary>
    public bool CenterCrop { get; set; }

    /// <summary>The source is down and this is its NO SIGNAL frame: shown, not classified.</summary>
    public bool NoSignal { get; set; }
    public string Provider { get; set; } = "";
    public double InferenceMs { get; set; }
    public int BatchSize { get; set; }
    public double SourceFps { get; set; }
    public long Dropped { get; set; }

    /// <summary>Capture to encoded JPEG, set by the encode stage.</summary>
    public double EndToEndMs { get; set; }

    public string? TopLabel => TopCount > 0 ? Labels[TopIndices[0]] : null;

    public void CopyFrom(FrameReport other)
    {
        Source = other.Source;
        SourceIndex = other.SourceIndex;
        Sequence = other.Sequence;
        CapturedAt = other.CapturedAt;
        GroundTruth = other.GroundTruth;
        Array.Copy(other.TopIndices, TopIndices, Math.Min(TopIndices.Length, other.TopIndices.Length));
        Array.Copy(other.TopScores, TopScores, Math.Min(TopScores.Length, other.TopScores.Length));
        TopCount = other.TopCount;
        Labels = other.Labels;
        ModelName = other.ModelName;
        Precision = other.Precision;
        CenterCrop = other.CenterCrop;
        NoSignal = other.NoSignal;
        Provider = other.Provider;
        InferenceMs = other.InferenceMs;
        BatchSize = other.BatchSize;
        SourceFps = other.SourceFps;
        Dropped = other.Dropped;
        EndToEndMs = other.EndToEndMs;
    }
}
