using System.Diagnostics;
using EdgeVision.Inference;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Temporal smoothing of one source's class probabilities: an exponential moving average whose weight
/// follows the real time between frames (half-life in seconds, so a dropped frame does not change the
/// dynamics), plus hysteresis on the top-1 label so two close classes do not flicker on the HUD.
/// </summary>
public sealed class PredictionSmoother
{
    private readonly double _halfLifeSeconds;
    private readonly float _margin;
    private float[] _scores = [];
    private int[] _order = [];
    private long _lastAt;
    private int _shown = -1;

    public PredictionSmoother(double halfLifeSeconds, double hysteresisMargin, int topK)
    {
        _halfLifeSeconds = halfLifeSeconds;
        _margin = (float)hysteresisMargin;
        TopIndices = new int[topK];
        TopScores = new float[topK];
    }

    /// <summary>Class indices shown, best first; the first is the (hysteresis-held) top-1.</summary>
    public int[] TopIndices { get; }
    public float[] TopScores { get; }
    public int TopCount { get; private set; }

    public void Reset()
    {
        _scores = [];
        _shown = -1;
        TopCount = 0;
    }

    /// <summary>Folds in the probabilities of a frame captured at <paramref name="timestamp"/> (Stopwatch ticks).</summary>
    public void Update(ReadOnlySpan<float> probabilities, long timestamp)
    {
        if (_scores.Length != probabilities.Length)
        {
            // A model with another class count was swapped in: start over (allocates once per swap).
            _scores = new float[probabilities.Length];
            _order = new int[Math.Min(TopIndices.Length + 1, probabilities.Length)];
            _shown = -1;
            _lastAt = 0;
        }
        double dt = _lastAt == 0 ? double.PositiveInfinity : Math.Max(0, (timestamp - _lastAt) / (double)Stopwatch.Frequency);
        _lastAt = timestamp;
        float keep = _halfLifeSeconds <= 0 || double.IsInfinity(dt) ? 0f : (float)Math.Pow(0.5, dt / _halfLifeSeconds);
        for (int i = 0; i < _scores.Length; i++) _scores[i] = keep * _scores[i] + (1 - keep) * probabilities[i];

        int n = TopK.Select(_scores, _order);
        int best = _order[0];
        if (_shown < 0 || _shown >= _scores.Length || _scores[best] > _scores[_shown] + _margin) _shown = best;

        // The held label first, then the others in score order.
        int count = Math.Min(TopIndices.Length, n);
        TopIndices[0] = _shown;
        TopScores[0] = _scores[_shown];
        int w = 1;
        for (int i = 0; i < n && w < count; i++)
        {
            if (_order[i] == _shown) continue;
            TopIndices[w] = _order[i];
            TopScores[w] = _scores[_order[i]];
            w++;
        }
        TopCount = count;
    }
}
