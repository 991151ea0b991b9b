using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeVision.Capture;
using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Models;
using EdgeVision.Inference;
using EdgeVision.Onnx;
using OpenCvSharp;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>
/// <c>edgevisiond --bench</c> (arguments: <see cref="DaemonBenchCommand"/>): the whole daemon (sources, batching,
/// HUD, JPEG, stream hub) against the bare model, for the shipped model and ResNet-18 at 224×224 with random
/// weights. Prints a Markdown section (<see cref="DaemonBenchReport"/>) and appends it to --bench-out.
/// </summary>
public static class DaemonBenchmark
{
    private const double DefaultViewFps = 60;

    public static async Task<int> RunAsync(DaemonBenchSettings settings)
    {
        var (seconds, rounds, provider, shipped, output) = (settings.Seconds, settings.Rounds, settings.Provider, settings.ShippedModel, settings.Output);
        string scratch = Directory.CreateTempSubdirectory("edgevision-bench-").FullName;
        try
        {
            var report = new DaemonBenchReport(provider, seconds, rounds, DefaultViewFps);

            var models = new List<(string Name, string Path)>();
            if (File.Exists(shipped)) models.Add(("shipped " + Path.GetFileName(shipped), shipped));
            else Console.Error.WriteLine($"bench: {shipped} not found; measuring ResNet-18 only");
            if (settings.WithResNet18) models.Add(("resnet18@224 (random)", WriteResNet18(scratch)));

            double viewMs = ViewCostMs();
            foreach (var (name, path) in models)
            {
                Console.Error.WriteLine($"bench: {name}");
                DaemonResult? capped = null;
                double cappedModelFps = 0;
                foreach (double viewFps in new double[] { DefaultViewFps, 0 })
                {
                    // Paired rounds: this VM's speed drifts by up to a fifth over seconds and a session can stay slow
                    // for its life, so each daemon run is compared with a fresh model-only session measured just
                    // before it, and the table gives the median of those ratios and their range.
                    var pairs = new List<(double ModelFps, DaemonResult Daemon)>();
                    for (int round = 0; round < rounds; round++)
                    {
                        var (modelFps, _) = ModelOnlyRound(path, sessions: 1, seconds / 2, provider);
                        pairs.Add((modelFps, await DaemonRun(path, sources: 1, sourceFps: 2 * modelFps, viewFps, seconds, scratch, provider)));
                    }
                    var ratios = pairs.Select(p => p.Daemon.Fps / p.ModelFps).ToList();
                    var median = pairs.OrderBy(p => p.Daemon.Fps / p.ModelFps).ElementAt(pairs.Count / 2);
                    var r = median.Daemon;
                    if (capped is null) (capped, cappedModelFps) = (r, median.ModelFps);
                    report.AddRow(name, viewFps, median.ModelFps, r, ratios.Min(), ratios.Max(), viewMs);
                }
                foreach (int n in new[] { 1, 2, 4 })
                {
                    var batched = n == 1 ? capped! : await DaemonRun(path, n, 2 * cappedModelFps / n, DefaultViewFps, seconds, scratch, provider);
                    var (separate, _) = ModelOnly(path, sessions: n, seconds, provider);
                    report.AddSourcesRow(name, n, batched.Fps, separate);
                }
            }
            string text = report.ToString();
            Console.WriteLine(text);
            if (output is not null) await File.AppendAllTextAsync(output, "\n" + text);
            return 0;
        }
        catch (ProviderUnavailableException e)
        {
            Console.Error.WriteLine("bench: " + e.Message);
            return 3;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed class ProviderUnavailableException(string message) : Exception(message);

    internal sealed record DaemonResult(double Fps, double RunMs, double ShownFps, double P50, double P99, double ProcessBytesPerFrame, double LoopBytesPerFrame, double StageBytesPerFrame);

    private static async Task<DaemonResult> DaemonRun(string model, int sources, double sourceFps, double viewFps, double seconds, string scratch, string provider)
    {
        using var frame = DemoLikeFrame();
        var recorder = new LatencyRecorder(1_000_000);
        var options = Enumerable.Range(0, sources).Select(i => new SourceOptions { Name = $"s{i}", Kind = SourceKind.Demo }).ToList();
        var feeds = new CaptureSources(options, (o, signal) => new SourceRunner(o, null, signal, _ => new SyntheticFrameSource(frame, sourceFps)));
        string[] args =
        [
            "--contentRoot", scratch, "--Model:Path=" + model, "--Model:Watch=false", "--Http:Port=0", "--Window:Enabled=false",
            "--Inference:Providers:0=" + provider, $"--FrameLoop:MaxBatch={sources}", "--Logging:LogLevel:Default=Warning",
            "--FrameLoop:MaxViewFps=" + viewFps.ToString(CultureInfo.InvariantCulture),
        ];
        var app = DaemonHost.Build(args, b =>
        {
            b.Services.AddSingleton(feeds);
            b.Services.AddSingleton<IAnnotatedFrameSink>(recorder);
        });
        await app.StartAsync();
        try
        {
            var loop = app.Services.GetRequiredService<FrameLoopService>();
            var flow = app.Services.GetRequiredService<FlowMonitor>();
            var inference = app.Services.GetRequiredService<EdgeVision.Daemon.Metrics.DaemonMetrics>().InferenceSeconds;
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, seconds / 2))); // warm-up
            long runs0 = inference.Count;
            double runSeconds0 = inference.Sum;
            long inferred0 = flow.FramesInferred, process0 = GC.GetTotalAllocatedBytes(precise: true);
            long loop0 = loop.LoopThreadAllocations.Bytes, stage0 = loop.Stage!.ThreadAllocations.Bytes, published0 = loop.Stage.Published;
            recorder.Start();
            var sw = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            recorder.Stop();
            double runMs = 1000 * (inference.Sum - runSeconds0) / Math.Max(1, inference.Count - runs0);
            long frames = flow.FramesInferred - inferred0;
            double elapsed = sw.Elapsed.TotalSeconds;
            long process = GC.GetTotalAllocatedBytes(precise: true) - process0;
            long loopBytes = loop.LoopThreadAllocations.Bytes - loop0, stageBytes = loop.Stage.ThreadAllocations.Bytes - stage0;
            long published = loop.Stage.Published - published0;
            return new DaemonResult(frames / elapsed, runMs, published / elapsed, recorder.Percentile(50), recorder.Percentile(99),
                process / (double)Math.Max(1, frames), loopBytes / (double)Math.Max(1, frames), stageBytes / (double)Math.Max(1, published));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// Frames per second of <paramref name="sessions"/> classifiers each running batch 1 on its own thread: the best
    /// of three rounds with fresh sessions, because on this shared VM a session's speed can stay a fifth low for
    /// its whole life, and a slow model-only figure would flatter the daemon's ratio.
    /// </summary>
    private static (double Fps, double Ms) ModelOnly(string model, int sessions, double seconds, string provider)
    {
        (double Fps, double Ms) best = (0, double.PositiveInfinity);
        for (int round = 0; round < 3; round++)
        {
            var r = ModelOnlyRound(model, sessions, seconds / 2, provider);
            if (r.Fps > best.Fps) best = r;
        }
        return best;
    }

    private static (double Fps, double Ms) ModelOnlyRound(string model, int sessions, double seconds, string provider)
    {
        var options = new InferenceOptions { Providers = [provider], MaxBatch = 1 };
        var classifiers = Enumerable.Range(0, sessions).Select(_ => Classifier.Load(model, options)).ToList();
        // A GPU provider that falls through to CPU would measure the wrong thing under the provider's name.
        if (classifiers[0].Provider != provider)
        {
            string reason = classifiers[0].ProviderAttempts.FirstOrDefault(a => a.Provider == provider)?.Reason ?? "not selected";
            foreach (var c in classifiers) c.Dispose();
            throw new ProviderUnavailableException($"--bench-provider {provider} is unavailable: {reason}");
        }
        using var frame = DemoLikeFrame();
        try
        {
            foreach (var c in classifiers)
            {
                c.SetFrame(0, frame);
                for (int i = 0; i < 5; i++) c.Run(1);
            }
            long total = 0;
            var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            var threads = classifiers.Select(c => new Thread(() =>
            {
                long n = 0;
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    c.Run(1);
                    n++;
                }
                Interlocked.Add(ref total, n);
            })).ToList();
            var sw = Stopwatch.StartNew();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            double fps = total / sw.Elapsed.TotalSeconds;
            return (fps, 1000.0 * sessions / fps);
        }
        finally
        {
            classifiers.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Median time of the view's own work on one 640×480 frame: copy, HUD, JPEG (the floor under capture→JPEG).</summary>
    private static double ViewCostMs()
    {
        using var frame = DemoLikeFrame();
        using var annotated = new Mat();
        var hud = new HudPainter(new HudToggles(Microsoft.Extensions.Options.Options.Create(new EdgeVision.Overlay.HudOptions())));
        var report = new FrameReport("bench", 0, 5);
        report.FillInferred(default, new ModelSummary("model", ["a", "b", "c", "d", "e"], Precision.Fp32, ExecutionProviders.Cpu, CenterCrop: false),
            [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], default, default);
        frame.CopyTo(annotated);
        using var encoder = new JpegEncoder(annotated, 80);
        var times = new double[300];
        for (int i = -30; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            frame.CopyTo(annotated);
            hud.Draw(annotated, report);
            encoder.Encode();
            if (i >= 0) times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static Mat DemoLikeFrame()
    {
        var m = new Mat(480, 640, MatType.CV_8UC3, new Scalar(40, 40, 40));
        Cv2.Rectangle(m, new Rect(200, 120, 240, 240), new Scalar(200, 200, 200), -1);
        Cv2.Circle(m, new Point(320, 240), 60, new Scalar(90, 120, 160), -1);
        return m;
    }

    private static string WriteResNet18(string directory)
    {
        var spec = ResNetZoo.Create("resnet18", 3, 1000);
        var metadata = new ModelMetadata
        {
            Labels = Enumerable.Range(0, 1000).Select(i => $"class {i}").ToList(),
            Architecture = "resnet18",
            InputWidth = 224,
            InputHeight = 224,
            Color = ColorMode.Rgb,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
            Resize = ResizePolicy.CenterCrop,
        };
        string path = Path.Combine(directory, "resnet18.onnx");
        OnnxModelFile.Save(ContractModelFactory.CreateResNet(spec, RandomWeights.Create(ResNetPlan.Build(spec), 1), metadata), path);
        return path;
    }
}
