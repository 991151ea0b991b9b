using EdgeVision.Daemon.FrameLoop;
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
        var report = new FrameReport(topK: 3) { Source = "demo", TopCount = 1, ModelName = "a.onnx" };
        IReadOnlyList<string> first = ["shirt", "shoe"];
        report.Labels = first;
        report.TopIndices[0] = 0;
        report.TopScores[0] = 0.9f;
        report.GroundTruth = 0;
        for (int i = 0; i < 4; i++) painter.Draw(frame, report);
        Assert.Equal((4L, 4L), painter.LiveAccuracy);

        // A hot reload at the same path: same name, a freshly loaded label list. It is wrong on its first frame.
        report.Labels = new List<string>(first);
        report.GroundTruth = 1;
        painter.Draw(frame, report);
        Assert.Equal((0L, 1L), painter.LiveAccuracy);

        // NO SIGNAL keeps the model and its score.
        report.NoSignal = true;
        report.TopCount = 0;
        painter.Draw(frame, report);
        Assert.Equal((0L, 1L), painter.LiveAccuracy);
    }
}
