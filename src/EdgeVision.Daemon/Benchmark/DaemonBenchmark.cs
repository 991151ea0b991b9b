using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeVision.Capture;
using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Inference;
using EdgeVision.Onnx;
using OpenCvSharp;

namespace EdgeVision.Daemon.Benchmark;

/// <summary>
/// <c>edgevisiond --bench [--bench-seconds 5] [--bench-model path] [--bench-skip-resnet18] [--bench-out docs/BENCHMARKS.md]</c>:
/// the whole daemon (sources, batching, HUD, JPEG, stream hub) against the bare model, for the shipped model
/// and ResNet-18 at 224×224 with random weights. Prints a Markdown section and appends it to --bench-out.
/// </summary>
public static class DaemonBenchmark
{
    public static bool IsRequested(string[] args) => args.Contains("--bench");

    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = double.Parse(Option(args, "--bench-seconds") ?? "5", CultureInfo.InvariantCulture);
        string? output = Option(args, "--bench-out");
        string shipped = Option(args, "--bench-model") ?? Models.ModelPaths.Resolve("models/default.onnx", Directory.GetCurrentDirectory());
        string scratch = Directory.CreateTempSubdirectory("edgevision-bench-").FullName;
        try
        {
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"## Daemon: frame loop vs model ({DateTime.UtcNow:yyyy-MM-dd})");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture,
                $"Machine: {Environment.ProcessorCount} logical cores ({Environment.OSVersion.VersionString}), CPU execution provider, .NET {Environment.Version}. ");
            report.AppendLine("Command: `dotnet src/EdgeVision.Daemon/bin/Release/net10.0/edgevisiond.dll --bench --bench-out docs/BENCHMARKS.md` " +
                              $"({seconds:0.#} s per measurement). Sources are synthetic 640×480 frames paced at twice the model's rate; " +
                              "the daemon path includes the batch copy, smoothing, HUD, one JPEG encode (quality 80) per frame and the stream hub.");
            report.AppendLine();
            report.AppendLine("| model | model-only fps | model ms | daemon fps (1 source) | daemon / min(model, source) | p50 capture→JPEG ms | p99 capture→JPEG ms | p99 / model ms | bytes/frame (process) | bytes/frame (loop thread) | bytes/frame (encode stage thread) |");
            report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            var sourcesTable = new StringBuilder();
            sourcesTable.AppendLine("| model | sources | batched daemon fps (total) | one session per source fps (total, model only) |");
            sourcesTable.AppendLine("|---|---|---|---|");

            var models = new List<(string Name, string Path)>();
            if (File.Exists(shipped)) models.Add(("shipped " + Path.GetFileName(shipped), shipped));
            else Console.Error.WriteLine($"bench: {shipped} not found; measuring ResNet-18 only");
            if (!args.Contains("--bench-skip-resnet18")) models.Add(("resnet18@224 (random)", WriteResNet18(scratch)));

            foreach (var (name, path) in models)
            {
                Console.Error.WriteLine($"bench: {name}");
                var (modelFps, modelMs) = ModelOnly(path, sessions: 1, seconds);
                var one = await DaemonRun(path, sources: 1, sourceFps: Math.Min(2 * modelFps, 240), seconds, scratch);
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {modelFps:0.0} | {modelMs:0.00} | {one.Fps:0.0} | {one.Fps / Math.Min(modelFps, 240):P0} | {one.P50:0.0} | {one.P99:0.0} | {one.P99 / modelMs:0.0}× | {one.ProcessBytesPerFrame:0} | {one.LoopBytesPerFrame:0.0} | {one.StageBytesPerFrame:0.0} |");
                foreach (int n in new[] { 1, 2, 4 })
                {
                    var batched = n == 1 ? one : await DaemonRun(path, n, Math.Min(2 * modelFps / n, 240), seconds, scratch);
                    var (separate, _) = ModelOnly(path, sessions: n, seconds);
                    sourcesTable.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {n} | {batched.Fps:0.0} | {separate:0.0} |");
                }
            }
            report.AppendLine();
            report.Append(sourcesTable);
            report.AppendLine();
            string text = report.ToString();
            Console.WriteLine(text);
            if (output is not null) await File.AppendAllTextAsync(output, "\n" + text);
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed record DaemonResult(double Fps, double P50, double P99, double ProcessBytesPerFrame, double LoopBytesPerFrame, double StageBytesPerFrame);

    private static async Task<DaemonResult> DaemonRun(string model, int sources, double sourceFps, double seconds, string scratch)
    {
        using var frame = DemoLikeFrame();
        var recorder = new LatencyRecorder(1_000_000);
        var options = Enumerable.Range(0, sources).Select(i => new SourceOptions { Name = $"s{i}", Kind = SourceKind.Demo }).ToList();
        var feeds = new FeedSet(options, (o, signal) => new SourceRunner(o, null, signal, _ => new SyntheticFrameSource(frame, sourceFps)));
        string[] args =
        [
            "--contentRoot", scratch, "--Model:Path=" + model, "--Model:Watch=false", "--Http:Port=0", "--Window:Enabled=false",
            "--Inference:Providers:0=CPU", $"--FrameLoop:MaxBatch={sources}", "--Logging:LogLevel:Default=Warning",
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
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, seconds / 2))); // warm-up
            long inferred0 = flow.FramesInferred, process0 = GC.GetTotalAllocatedBytes(precise: true);
            long loop0 = loop.LoopThreadAllocatedBytes, stage0 = loop.Stage!.ThreadAllocatedBytes, published0 = loop.Stage.Published;
            recorder.Start();
            var sw = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            recorder.Stop();
            long frames = flow.FramesInferred - inferred0;
            double elapsed = sw.Elapsed.TotalSeconds;
            long process = GC.GetTotalAllocatedBytes(precise: true) - process0;
            long loopBytes = loop.LoopThreadAllocatedBytes - loop0, stageBytes = loop.Stage.ThreadAllocatedBytes - stage0;
            long published = loop.Stage.Published - published0;
            return new DaemonResult(frames / elapsed, recorder.Percentile(50), recorder.Percentile(99),
                process / (double)Math.Max(1, frames), loopBytes / (double)Math.Max(1, frames), stageBytes / (double)Math.Max(1, published));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Frames per second of <paramref name="sessions"/> classifiers each running batch 1 on its own thread.</summary>
    private static (double Fps, double Ms) ModelOnly(string model, int sessions, double seconds)
    {
        var options = new InferenceOptions { Providers = ["CPU"], MaxBatch = 1 };
        var classifiers = Enumerable.Range(0, sessions).Select(_ => Classifier.Load(model, options)).ToList();
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

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
