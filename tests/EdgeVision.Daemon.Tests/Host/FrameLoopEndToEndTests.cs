using EdgeVision.Daemon.Tests.Http;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Recording;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class FrameLoopEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Demo_source_frames_flow_through_inference_with_the_HUD_drawn_and_match_ground_truth()
    {
        using var scratch = new Scratch();
        bool shipped = File.Exists(RepoPaths.ShippedModel);
        string model = shipped ? RepoPaths.ShippedModel : TestModels.Tiny(scratch.Path);
        output.WriteLine(shipped
            ? $"using the shipped model {model}"
            : "models/default.onnx does not exist yet: frames, predictions and HUD are checked with a tiny random model; the accuracy assertion is skipped");
        // Smoothing off: this measures the model on the demo's frames, not the smoother's lag at image changes.
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, model, "--FrameLoop:SmoothingHalfLifeSeconds=0",
            "--FrameLoop:HysteresisMargin=0", "--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo",
            "--Capture:Sources:0:DemoImageDuration=00:00:00.5",
            // Square frames: the shipped model's resize policy is "stretch", which squashes a 4:3 frame.
            "--Capture:Sources:0:Width=480", "--Capture:Sources:0:Height=480");

        Assert.True(await daemon.Probe.WaitForAsync(s => s.Count(f => f.TopCount > 0) >= 40, Patience), "fewer than 40 frames were published");
        var frames = daemon.Probe.All.Where(f => f.TopCount > 0).ToList();
        Assert.All(frames, f => Assert.True(f.JpegValid, "published bytes are not a JPEG"));
        Assert.All(frames, f => Assert.Equal("demo", f.Source));
        Assert.True(frames.Select(f => f.Sequence).Distinct().Count() == frames.Count, "a frame was published twice");
        Assert.True(daemon.Probe.HudPixelBytes() > 500, "the annotated frame is (nearly) identical to the raw frame: no HUD drawn");
        var status = daemon.Get<IDaemonControl>().GetStatus();
        Assert.True(status.FramesFlowing);
        Assert.Equal(Path.GetFileName(model), status.Model.Name);
        Assert.Equal("CPU", status.Model.Provider);

        if (shipped)
        {
            var metadata = daemon.Get<ModelHost>().Active!.Metadata;
            await daemon.Probe.WaitForAsync(s => s.Count(f => f.GroundTruth is not null) >= 200, TimeSpan.FromSeconds(60));
            var labelled = daemon.Probe.All.Where(f => f.GroundTruth is { } g && f.Top1 is not null).ToList();
            double accuracy = labelled.Count(f => f.Top1 == metadata.Labels[f.GroundTruth!.Value]) / (double)labelled.Count;
            double expected = metadata.Top1 ?? 0.8;
            output.WriteLine($"demo accuracy {accuracy:P1} over {labelled.Count} frames; model top-1 {expected:P1}");
            Assert.True(accuracy >= expected - 0.15, $"demo accuracy {accuracy:P1} is far below the model's top-1 {expected:P1}");
        }
    }

    [Fact]
    public async Task Every_frame_is_inferred_while_the_view_is_paced_to_MaxViewFps()
    {
        using var scratch = new Scratch();
        // A demo source at 150 fps, a view capped at 15: the tiny model keeps up with the source.
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            "--Capture:Sources:0:Name=fast", "--Capture:Sources:0:Kind=Demo", "--Capture:Sources:0:Fps=150",
            "--Capture:Sources:0:Width=320", "--Capture:Sources:0:Height=240", "--FrameLoop:MaxViewFps=15");
        Assert.True(await daemon.Probe.WaitForAsync(s => s.Count >= 5, Patience), "no frame was shown");

        string Scrape() => daemon.ScrapeMetrics();
        static long Sample(string text, string name) => long.Parse(text.Split('\n').Single(l => l.StartsWith(name + "{source=\"fast\"}", StringComparison.Ordinal)).Split(' ')[1]);

        string before = Scrape();
        int probedBefore = daemon.Probe.Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        string after = Scrape();
        double seconds = clock.Elapsed.TotalSeconds;
        double inferred = (Sample(after, "edgevision_frames_inferred_total") - Sample(before, "edgevision_frames_inferred_total")) / seconds;
        double shown = (Sample(after, "edgevision_frames_shown_total") - Sample(before, "edgevision_frames_shown_total")) / seconds;
        double published = (daemon.Probe.Count - probedBefore) / seconds;
        output.WriteLine($"inferred {inferred:0.0}/s, shown {shown:0.0}/s, published {published:0.0}/s");

        Assert.True(inferred > 60, $"only {inferred:0.0} frames/s inferred from a 150 fps source");
        Assert.InRange(shown, 10, 16.5);
        Assert.InRange(published, 10, 16.5);
    }

    [Fact]
    public async Task Video_file_frames_are_inferred_and_recorded_to_an_MJPG_AVI()
    {
        using var scratch = new Scratch();
        string clip = TestVideo.Write(scratch.File("clip.avi"), frames: 30, width: 320, height: 240, fps: 30);
        string recording = scratch.File("out/recording.avi");
        long written;
        await using (var daemon = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            "--Capture:Sources:0:Name=clip", "--Capture:Sources:0:Kind=File", "--Capture:Sources:0:Path=" + clip,
            "--Output:Path=" + recording))
        {
            Assert.True(await daemon.Probe.WaitForAsync(s => s.Count(f => f.TopCount > 0) >= 20, Patience));
            written = daemon.Get<AnnotatedRecorder>().Written;
            Assert.True(written >= 10, $"only {written} frames recorded");
        }
        using var capture = new VideoCapture(recording);
        Assert.True(capture.IsOpened(), "the recording cannot be opened");
        Assert.Equal(320, capture.FrameWidth);
        Assert.Equal(240, capture.FrameHeight);
        using var frame = new Mat();
        int read = 0;
        while (capture.Read(frame) && !frame.Empty()) read++;
        Assert.True(read >= 10, $"the recording holds {read} readable frames");
    }

    [Fact]
    public async Task Rewriting_the_model_file_hot_reloads_and_bad_files_keep_the_old_model_serving()
    {
        using var scratch = new Scratch();
        string models = Directory.CreateDirectory(scratch.File("models")).FullName;
        string path = TestModels.Tiny(models, "serving.onnx", classes: 6);
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, path,
            "--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo");
        var host = daemon.Get<ModelHost>();
        Assert.True(await daemon.Probe.WaitForAsync(s => s.Any(f => f.ClassCount == 6), Patience));
        Assert.Equal(0, Reloads(daemon, "ok"));

        TestModels.ReplaceAtomically(path, classes: 4, seed: 11);
        Assert.True(await daemon.Probe.WaitForAsync(s => s.Any(f => f.ClassCount == 4), Patience), "predictions never came from the reloaded model");
        Assert.Equal(1, Reloads(daemon, "ok"));

        File.WriteAllBytes(path, [0x08, 0x07, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]);
        Assert.True(SpinWait.SpinUntil(() => Reloads(daemon, "failed") >= 1, Patience), "the garbage file was never rejected");
        int before = daemon.Probe.Count;
        Assert.True(await daemon.Probe.WaitForAsync(s => s.Count > before + 10, Patience), "frames stopped after a bad reload");
        Assert.All(daemon.Probe.All.Skip(before), f => Assert.Equal(4, f.ClassCount));
        Assert.Equal(4, host.Active!.ClassCount);
    }

    [Fact]
    public async Task Switching_models_swaps_good_ones_and_rejects_bad_ones_with_the_reason()
    {
        using var scratch = new Scratch();
        string models = Directory.CreateDirectory(scratch.File("models")).FullName;
        string first = TestModels.Tiny(models, "first.onnx", classes: 6);
        TestModels.Tiny(models, "second.onnx", classes: 3, seed: 3);
        File.WriteAllBytes(Path.Combine(models, "wrong.onnx"), TestModels.WrongContract());
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, first,
            "--Model:Watch=false", "--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo");
        var control = daemon.Get<IDaemonControl>();

        var listed = control.ListModels();
        Assert.Equal(["first.onnx", "second.onnx", "wrong.onnx"], listed.Select(m => m.Name));
        Assert.True(listed.Single(m => m.Name == "first.onnx").Active);

        var good = await control.SwitchModelAsync("second.onnx", CancellationToken.None);
        Assert.True(good.Success, good.Error);
        Assert.True(await daemon.Probe.WaitForAsync(s => s.Any(f => f.ClassCount == 3), Patience));
        Assert.Equal(3, control.Labels.Count);

        var bad = await control.SwitchModelAsync("wrong.onnx", CancellationToken.None);
        Assert.False(bad.Success);
        Assert.Contains("uint8", bad.Error, StringComparison.OrdinalIgnoreCase);
        var unknown = await control.SwitchModelAsync("../etc/passwd", CancellationToken.None);
        Assert.False(unknown.Success);
        Assert.Equal("second.onnx", control.GetStatus().Model.Name);
        Assert.Equal(1, Reloads(daemon, "failed"));
        Assert.Equal(1, Reloads(daemon, "ok"));
    }

    [Fact]
    public async Task A_file_source_that_fails_to_open_recovers_once_the_file_appears()
    {
        using var scratch = new Scratch();
        string clip = scratch.File("late.avi");
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            "--Capture:Sources:0:Name=late", "--Capture:Sources:0:Kind=File", "--Capture:Sources:0:Path=" + clip,
            "--Capture:Sources:0:BackoffInitial=00:00:00.1", "--Capture:Sources:0:BackoffMax=00:00:00.3");
        var control = daemon.Get<IDaemonControl>();
        await Task.Delay(1000);
        Assert.NotEqual("Live", control.GetStatus().Sources[0].State);
        Assert.DoesNotContain(daemon.Probe.All, f => f.TopCount > 0);

        TestVideo.Write(scratch.File("late.tmp.avi"), frames: 30);
        File.Move(scratch.File("late.tmp.avi"), clip);
        Assert.True(await daemon.Probe.WaitForAsync(s => s.Count(f => f.TopCount > 0) >= 5, Patience), "the source never recovered");
        Assert.Equal("Live", control.GetStatus().Sources[0].State);
    }

    // What a scrape of /metrics says, so the metric is checked where users read it, moved by the real reloads.
    private static double Reloads(InProcessDaemon daemon, string result)
    {
        return PrometheusParser.Parse(daemon.ScrapeMetrics())["edgevision_model_reloads_total"].Samples.Single(s => s.Labels["result"] == result).Value;
    }
}
