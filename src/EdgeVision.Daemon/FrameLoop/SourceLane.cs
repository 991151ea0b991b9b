using EdgeVision.Capture;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The frame loop's state for one source: its runner, this tick's frame, its smoother and view pacer, and the
/// report and raw copy it hands to the encode stage (both swapped for the stage's previous ones, never copied).
/// Owned by the <see cref="BatchGatherer"/>; used only on the loop thread.
/// </summary>
public sealed class SourceLane : IDisposable
{
    private Mat _raw = new();
    private FrameReport _report;

    public SourceLane(SourceRunner runner, int index, FrameLoopOptions options)
    {
        Runner = runner;
        Index = index;
        Smoother = new PredictionSmoother(options.SmoothingHalfLifeSeconds, options.HysteresisMargin, options.TopK);
        View = new ViewPacer(options.MaxViewFps);
        _report = new FrameReport(runner.Name, index, options.TopK);
    }

    public SourceRunner Runner { get; }
    public int Index { get; }
    public PredictionSmoother Smoother { get; }
    public ViewPacer View { get; }

    /// <summary>This tick's frame: the slot's front buffer, valid until the lane's next take.</summary>
    public CapturedFrame? Front { get; private set; }
    public FrameStamp Stamp { get; private set; }

    /// <summary>The source's rate and drop count as of this tick's frame.</summary>
    public SourceRate Rate { get; private set; }

    /// <summary>A lane gives at most one frame per tick: its front buffer stays valid until its next take.</summary>
    public bool TakenThisTick { get; set; }

    public void Take(CapturedFrame frame, SourceRate rate)
    {
        Front = frame;
        Stamp = new FrameStamp(frame.Sequence, frame.Timestamp, frame.GroundTruth);
        Rate = rate;
    }

    /// <summary>
    /// Copies this tick's frame out of the slot (only a shown frame is: the encode stage keeps it past the next
    /// tick) and gives the encode stage it and the filled report; the lane gets the stage's previous pair back.
    /// </summary>
    public void HandTo(EncodeStage stage)
    {
        Front!.Image.CopyTo(_raw);
        stage.Offer(Index, ref _raw, ref _report);
    }

    public void ReportInferred(ModelSummary model, InferenceTiming timing) =>
        _report.FillInferred(Stamp, model, Smoother.TopIndices.AsSpan(0, Smoother.TopCount), Smoother.TopScores.AsSpan(0, Smoother.TopCount), timing, Rate);

    /// <summary>A NO SIGNAL frame is shown, never classified; the smoothing starts over when the source returns.</summary>
    public void ReportNoSignal(ModelSummary model)
    {
        Smoother.Reset();
        _report.FillNoSignal(Stamp, model, Rate);
    }

    public void Dispose() => _raw.Dispose();
}
