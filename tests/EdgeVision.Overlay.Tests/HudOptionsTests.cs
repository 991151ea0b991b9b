namespace EdgeVision.Overlay.Tests;

public class HudOptionsTests
{
    [Fact]
    public void Every_element_can_be_toggled_by_enum_and_by_name()
    {
        var options = new HudOptions();
        foreach (var element in Enum.GetValues<HudElement>())
        {
            Assert.True(options.IsVisible(element));
            Assert.True(HudOptions.TryParseElement(element.ToString().ToLowerInvariant(), out var parsed));
            Assert.Equal(element, parsed);
            options.SetVisible(parsed, false);
            Assert.False(options.IsVisible(element));
        }
        Assert.False(HudOptions.TryParseElement("minimap", out _));
        Assert.False(HudOptions.TryParseElement("42", out _));
    }

    [Fact]
    public void Frame_time_history_keeps_the_newest_values_oldest_first()
    {
        var history = new FrameTimeHistory(4);
        for (int i = 1; i <= 6; i++) history.Add(i);
        Assert.Equal(4, history.Count);
        Assert.Equal([3f, 4f, 5f, 6f], Enumerable.Range(0, 4).Select(i => history[i]));
        Assert.Equal(6f, history.Max());
    }

    [Fact]
    public void Accuracy_counts_only_frames_with_ground_truth()
    {
        var state = new HudState();
        state.RecordOutcome(3, 3);
        state.RecordOutcome(2, 3);
        state.RecordOutcome(1, null);
        Assert.Equal(1, state.AccuracyCorrect);
        Assert.Equal(2, state.AccuracyTotal);
    }
}
