using EdgeVision.Core.Model;
using OpenCvSharp;

namespace EdgeVision.Overlay;

/// <summary>
/// What the HUD shows for one source's frame. One instance per source, updated in place every frame by the frame
/// loop (no allocation): numbers are plain fields, top-k goes into fixed arrays, frame times into a ring.
/// </summary>
public sealed class HudState
{
    private readonly int[] _topIndices = new int[HudOptions.MaxTopK];
    private readonly float[] _topScores = new float[HudOptions.MaxTopK];

    public string SourceName { get; set; } = "";

    /// <summary>Frames per second of the source.</summary>
    public double Fps { get; set; }

    /// <summary>Inference time of the batch that held this frame, in milliseconds.</summary>
    public double InferenceMs { get; set; }

    /// <summary>Capture to annotated frame, in milliseconds.</summary>
    public double LatencyMs { get; set; }

    /// <summary>"CPU", "CUDA" or "TensorRT".</summary>
    public string Provider { get; set; } = "";

    /// <summary>Served by the CPU provider (a GPU was usually meant): the provider row is drawn as a warning.</summary>
    public bool ProviderIsCpu { get; set; }

    public string ModelName { get; set; } = "";

    public Precision Precision { get; set; } = Precision.Fp32;

    /// <summary>Frames dropped by the source's latest-frame slot so far.</summary>
    public long Dropped { get; set; }

    /// <summary>The region of the frame the model sees; null hides the reticle.</summary>
    public Rect? Reticle { get; set; }

    /// <summary>Class names, indexed by the top-k indices.</summary>
    public IReadOnlyList<string> Labels { get; set; } = [];

    /// <summary>True while the source shows NO SIGNAL: predictions and accuracy are hidden.</summary>
    public bool NoSignal { get; set; }

    /// <summary>Ground truth of the frame, when the source knows it.</summary>
    public int? GroundTruth { get; set; }

    /// <summary>Frames whose top-1 matched the ground truth, and frames with ground truth at all.</summary>
    public long AccuracyCorrect { get; private set; }

    public long AccuracyTotal { get; private set; }

    public FrameTimeHistory FrameTimes { get; } = new();

    public int TopCount { get; private set; }

    public ReadOnlySpan<int> TopIndices => _topIndices.AsSpan(0, TopCount);

    public ReadOnlySpan<float> TopScores => _topScores.AsSpan(0, TopCount);

    /// <summary>Sets the top-k (indices by descending score, scores in [0,1]); extra entries beyond 10 are ignored.</summary>
    public void SetTopK(ReadOnlySpan<int> indices, ReadOnlySpan<float> scores)
    {
        if (indices.Length != scores.Length)
            throw new ArgumentException($"{indices.Length} indices but {scores.Length} scores", nameof(scores));
        int n = Math.Min(indices.Length, HudOptions.MaxTopK);
        indices[..n].CopyTo(_topIndices);
        scores[..n].CopyTo(_topScores);
        TopCount = n;
    }

    public void ClearTopK() => TopCount = 0;

    /// <summary>Counts one classified frame towards live accuracy if it has ground truth.</summary>
    public void RecordOutcome(int predicted, int? groundTruth)
    {
        GroundTruth = groundTruth;
        if (groundTruth is not { } truth) return;
        AccuracyTotal++;
        if (predicted == truth) AccuracyCorrect++;
    }

    public void ResetAccuracy()
    {
        AccuracyCorrect = 0;
        AccuracyTotal = 0;
    }
}
