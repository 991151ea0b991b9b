using System.Diagnostics;
using EdgeVision.Daemon.FrameLoop;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class PredictionSmootherTests
{
    private static long At(double seconds) => 1 + (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public void After_one_half_life_the_score_moves_half_way_to_the_new_probability()
    {
        var s = new PredictionSmoother(halfLifeSeconds: 0.5, hysteresisMargin: 0, topK: 2);
        s.Update([1f, 0f], At(0));
        s.Update([0f, 1f], At(0.5));
        Assert.Equal(0.5f, s.TopScores[0], 3);
        Assert.Equal(0.5f, s.TopScores[1], 3);
    }

    [Fact]
    public void The_weight_follows_frame_time_not_frame_count()
    {
        var fast = new PredictionSmoother(0.5, 0, 2);
        fast.Update([1f, 0f], At(0));
        for (int i = 1; i <= 10; i++) fast.Update([0f, 1f], At(i * 0.05));
        var slow = new PredictionSmoother(0.5, 0, 2);
        slow.Update([1f, 0f], At(0));
        slow.Update([0f, 1f], At(0.5));
        Assert.Equal(slow.TopScores[0], fast.TopScores[0], 3);
    }

    [Fact]
    public void Hysteresis_holds_the_top_label_until_another_beats_it_by_the_margin()
    {
        var s = new PredictionSmoother(halfLifeSeconds: 0, hysteresisMargin: 0.1, topK: 3);
        s.Update([0.6f, 0.3f, 0.1f], At(0));
        Assert.Equal(0, s.TopIndices[0]);
        s.Update([0.42f, 0.48f, 0.1f], At(0.1)); // class 1 leads by 0.06 < 0.1: held
        Assert.Equal(0, s.TopIndices[0]);
        Assert.Equal(1, s.TopIndices[1]);
        s.Update([0.3f, 0.6f, 0.1f], At(0.2)); // leads by 0.3: switches
        Assert.Equal(1, s.TopIndices[0]);
        Assert.Equal(0.6f, s.TopScores[0], 5);
    }

    [Fact]
    public void A_new_class_count_starts_over()
    {
        var s = new PredictionSmoother(1, 0.05, 5);
        s.Update([0.9f, 0.1f], At(0));
        s.Update([0.1f, 0.2f, 0.7f], At(0.1));
        Assert.Equal(3, s.TopCount);
        Assert.Equal(2, s.TopIndices[0]);
        Assert.Equal(0.7f, s.TopScores[0], 5);
    }
}
