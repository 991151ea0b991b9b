using System.Diagnostics;
using EdgeVision.Overlay;
using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Draws EdgeVision.Overlay's HUD over one source's annotated frames: fills the renderer's state from the
/// loop's <see cref="FrameReport"/> (top-k, fps, inference and end-to-end latency, model, provider, dropped
/// frames, live accuracy against ground truth, frame-time graph) and the region the model sees. One per
/// source, used only by the encode stage thread; allocation-free per frame.
/// </summary>
public sealed class HudPainter(HudToggles toggles)
{
    private readonly HudRenderer _renderer = new(toggles.Options);
    private readonly HudState _state = new();
    private long _lastDrawnAt;
    private Models.ModelSummary? _model;

    /// <summary>The live accuracy against ground truth drawn on the HUD: frames of the serving model only.</summary>
    public (long Correct, long Total) LiveAccuracy => (_state.AccuracyCorrect, _state.AccuracyTotal);

    public void Draw(Mat frame, FrameReport r)
    {
        // Every loaded model has its own summary, so a new one is a new model (a switch, or a hot reload at the
        // same path): its accuracy starts from zero instead of carrying over the previous model's score.
        if (!ReferenceEquals(r.Model, _model))
        {
            _model = r.Model;
            _state.ResetAccuracy();
        }
        if (!toggles.Visible || frame.Empty()) return;
        long now = Stopwatch.GetTimestamp();
        if (_lastDrawnAt != 0) _state.FrameTimes.Add(Stopwatch.GetElapsedTime(_lastDrawnAt, now).TotalMilliseconds);
        _lastDrawnAt = now;

        _state.SourceName = r.Source;
        _state.Fps = r.Rate.Fps;
        _state.InferenceMs = r.Inference.Milliseconds;
        _state.LatencyMs = r.EndToEndMs;
        _state.Provider = r.Model.Provider;
        _state.ProviderIsCpu = r.Model.OnCpu;
        _state.ModelName = r.Model.Name;
        _state.Precision = r.Model.Precision;
        _state.Dropped = r.Rate.Dropped;
        _state.Labels = r.Model.Labels;
        _state.NoSignal = r.NoSignal;
        if (r.NoSignal || r.TopCount == 0)
        {
            _state.ClearTopK();
            _state.Reticle = null;
        }
        else
        {
            _state.SetTopK(r.TopIndices, r.TopScores);
            _state.RecordOutcome(r.TopIndices[0], r.GroundTruth);
            int side = Math.Min(frame.Rows, frame.Cols);
            _state.Reticle = r.Model.CenterCrop
                ? new Rect((frame.Cols - side) / 2, (frame.Rows - side) / 2, side, side)
                : new Rect(0, 0, frame.Cols, frame.Rows);
        }
        _renderer.Draw(frame, _state);
    }
}
