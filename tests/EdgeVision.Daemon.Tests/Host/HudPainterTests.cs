using EdgeVision.Core.Model;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Models;
using EdgeVision.Overlay;
using OpenCvSharp;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class HudPainterTests
{
    [Fact]
    public void Live_accuracy_starts_from_zero_when_another_model_serves()
    {
        var painter = new HudPainter(new HudToggles(MsOptions.Create(new HudOptions())));
        using var frame = new Mat(240, 320, MatType.CV_8UC3, Scalar.Black);
        var report = new FrameReport("demo", 0, topK: 3);
        IReadOnlyList<string> first = ["shirt", "shoe"];
        var model = new ModelSummary("a.onnx", first, Precision.Fp32, "CPU", CenterCrop: false);
        report.FillInferred(new FrameStamp(1, 0, GroundTruth: 0), model, [0], [0.9f], default, default);
        for (int i = 0; i < 4; i++) painter.Draw(frame, report);
        Assert.Equal((4L, 4L), painter.LiveAccuracy);

        // A hot reload at the same path: same name, a freshly loaded model. It is wrong on its first frame.
        var reloaded = model with { Labels = new List<string>(first) };
        report.FillInferred(new FrameStamp(2, 0, GroundTruth: 1), reloaded, [0], [0.9f], default, default);
        painter.Draw(frame, report);
        Assert.Equal((0L, 1L), painter.LiveAccuracy);

        // NO SIGNAL keeps the model and its score.
        report.FillNoSignal(new FrameStamp(3, 0, null), reloaded, default);
        painter.Draw(frame, report);
        Assert.Equal((0L, 1L), painter.LiveAccuracy);
    }
}
