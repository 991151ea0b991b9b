namespace EdgeVision.Capture.Tests;

public class SourceRunnerTests
{
    private static SourceOptions Options(double initialMs = 100, double maxMs = 400, double stallMs = 5000) => new()
    {
        Name = "fake",
        Kind = SourceKind.Demo,
        Width = 64,
        Height = 48,
        BackoffInitial = TimeSpan.FromMilliseconds(initialMs),
        BackoffMax = TimeSpan.FromMilliseconds(maxMs),
        StallTimeout = TimeSpan.FromMilliseconds(stallMs),
    };

    [Fact]
    public void A_source_that_fails_to_open_n_times_recovers_after_a_capped_exponential_backoff()
    {
        var script = new FakeScript { FailOpens = 5 };
        var clock = new RecordingClock();
        using var runner = new SourceRunner(Options(), sourceFactory: _ => new FakeSource(script), clock: clock);
        runner.Start();
        Wait.Until(() => runner.State == SourceState.Live && runner.Captured >= 5, "frames after recovery");

        double[] delays = clock.Delays.Select(d => d.TotalMilliseconds).ToArray();
        Assert.Equal(5, delays.Length);
        double[] expected = [100, 200, 400, 400, 400];
        for (int i = 0; i < expected.Length; i++)
            Assert.InRange(delays[i], expected[i] * 0.8 - 0.001, Math.Min(expected[i] * 1.2, 400) + 0.001);
        Assert.Equal(5, runner.Reopens);
        Assert.Equal(6, script.Opens);
        Assert.True(script.Disposals >= 5, "every failed source is disposed before reopening");
        Assert.Null(runner.LastError);
        Assert.True(runner.Slot.TryTake(out var frame));
        Assert.False(frame.IsNoSignal);
        Assert.Equal("fake", frame.SourceName);
        Assert.NotNull(frame.GroundTruth);
    }

    [Fact]
    public void The_backoff_resets_after_a_good_frame()
    {
        // Open 1 fails, open 2 delivers 3 frames then fails reading, open 3 delivers frames.
        var script = new FakeScript { FailOpens = 1, FailAfterReads = 3, FailReadsOnOpen = 2 };
        var clock = new RecordingClock();
        using var runner = new SourceRunner(Options(), sourceFactory: _ => new FakeSource(script), clock: clock);
        runner.Start();
        Wait.Until(() => script.Opens >= 3 && runner.State == SourceState.Live, "third open live");

        double[] delays = clock.Delays.Select(d => d.TotalMilliseconds).ToArray();
        Assert.Equal(2, delays.Length);
        // Both delays are first rungs: the frames of open 2 reset the ladder.
        Assert.All(delays, d => Assert.InRange(d, 80, 120));
        Assert.Equal(2, runner.Reopens);
    }

    [Fact]
    public void While_down_the_slot_shows_a_no_signal_frame_and_the_error()
    {
        var script = new FakeScript { FailOpens = int.MaxValue, OpenError = "camera unplugged" };
        using var runner = new SourceRunner(Options(initialMs: 1000, maxMs: 1000), sourceFactory: _ => new FakeSource(script));
        runner.Start();
        Wait.Until(() => runner.Slot.HasUnseen, "NO SIGNAL frame");
        Assert.True(runner.Slot.TryTake(out var frame));
        Assert.True(frame.IsNoSignal);
        Assert.Equal(64, frame.Image.Width);
        Assert.Equal(48, frame.Image.Height);
        Assert.Equal(SourceState.NoSignal, runner.State);
        Assert.Contains("camera unplugged", runner.LastError);
        var stats = runner.GetStats();
        Assert.Equal(SourceState.NoSignal, stats.State);
        Assert.Equal(1, stats.Reopens);
    }

    [Fact]
    public void A_read_that_hangs_forever_is_abandoned_by_the_supervisor_and_the_source_reopened()
    {
        var script = new FakeScript { HangOnReadOfOpen = 1 };
        var clock = new RecordingClock();
        // Held until NO SIGNAL is checked: the reopened source's first frame would replace it in the latest-frame slot.
        script.Reopen.Reset();
        try
        {
            using var runner = new SourceRunner(Options(stallMs: 200), sourceFactory: _ => new FakeSource(script), clock: clock);
            runner.Start();
            Wait.Until(() => script.Hangs == 1, "the first read to hang");
            Wait.Until(() => runner.Slot.HasUnseen, "NO SIGNAL after the stall");
            Assert.True(runner.Slot.TryTake(out var placeholder));
            Assert.True(placeholder.IsNoSignal);
            Assert.Contains("stalled", runner.LastError);
            script.Reopen.Set();

            Wait.Until(() => runner.State == SourceState.Live && runner.Captured >= 3, "frames from the reopened source");
            Assert.Equal(1, runner.Reopens);
            Assert.Equal(2, script.Opens);
            Assert.Single(clock.Delays);
            Assert.True(runner.Slot.TryTake(out var live));
            Assert.False(live.IsNoSignal);
        }
        finally
        {
            script.Release.Set();
        }
        // The abandoned thread, once its read returns, disposes its own source.
        Wait.Until(() => script.Disposals == 2, "the hung source to be disposed by its own thread");
    }

    [Fact]
    public void A_finite_source_that_ends_stops_without_reopening()
    {
        var script = new FakeScript { Live = false, EndAfterReads = 4 };
        using var runner = new SourceRunner(Options(), sourceFactory: _ => new FakeSource(script));
        runner.Start();
        Wait.Until(() => runner.State == SourceState.Ended, "end of stream");
        Assert.Equal(4, runner.Captured);
        Assert.Equal(0, runner.Reopens);
        Assert.Equal(1, script.Opens);
        Assert.True(runner.Slot.TryTake(out var last));
        Assert.True(last.IsNoSignal);
    }

    [Fact]
    public void Stop_ends_capture_and_disposes_the_source()
    {
        var script = new FakeScript();
        var runner = new SourceRunner(Options(), sourceFactory: _ => new FakeSource(script));
        runner.Start();
        Wait.Until(() => runner.Captured > 2, "frames");
        runner.Dispose();
        Assert.Equal(SourceState.Stopped, runner.State);
        Assert.Equal(1, script.Disposals);
        long captured = runner.Captured;
        Thread.Sleep(50);
        Assert.Equal(captured, runner.Captured);
    }

    [Fact]
    public void Credentials_in_the_url_never_reach_the_logs_or_the_last_error()
    {
        var options = new SourceOptions
        {
            Name = "door",
            Kind = SourceKind.Pipe,
            Uri = "rtsp://admin:hunter2@10.1.1.1/live",
            Width = 64,
            Height = 48,
            BackoffInitial = TimeSpan.FromMilliseconds(10),
            BackoffMax = TimeSpan.FromMilliseconds(10),
        };
        var script = new FakeScript { FailOpens = 2, Description = options.Uri, OpenError = "cannot connect to rtsp://admin:hunter2@10.1.1.1/live" };
        var logger = new ListLogger<SourceRunner>();
        using var runner = new SourceRunner(options, logger, sourceFactory: _ => new FakeSource(script), clock: new RecordingClock());
        runner.Start();
        Wait.Until(() => runner.State == SourceState.Live, "live");
        Assert.NotEmpty(logger.Messages);
        Assert.Contains(logger.Messages, m => m.Contains("rtsp://***@10.1.1.1/live"));
        Assert.DoesNotContain(logger.Messages, m => m.Contains("hunter2"));
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_key_named()
    {
        var options = new SourceOptions { Name = "bad name", Kind = SourceKind.Camera, Device = "/dev/sda" };
        var ex = Assert.Throws<ArgumentException>(() => new SourceRunner(options));
        Assert.Contains("Name", ex.Message);
        Assert.Contains("Device '/dev/sda'", ex.Message);
    }
}
