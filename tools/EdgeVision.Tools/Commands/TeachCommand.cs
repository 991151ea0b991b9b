using System.Globalization;
using EdgeVision.Inference;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Teaching;
using EdgeVision.Tools.Cli;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision teach</c>: the daemon's teach job without a daemon (frozen backbone in ONNX Runtime + softmax head, no libtorch).</summary>
public sealed class TeachCommand : IToolCommand
{
    public string Name => "teach";
    public string Summary => "teach a classifier from captured images in seconds: frozen ImageNet backbone + softmax head";
    public string Usage => """
        edgevision teach --data DIR [--labels a,b,...] --out model.onnx
                         [--cache DIR] [--seed 1] [--holdout 0.2] [--l2 0.01] [--providers CUDA,CPU] [--threads 0] [--batch 8]

          --data       the dataset root (train/<label>/*.png as the daemon's capture writes it) or a folder of label folders
          --labels     the labels to learn (default: every label folder); at least 2, each with at least 5 readable images
          --out        the contract model to write (temporary file + rename)
          --cache      feature cache directory: a second run embeds only new images (default: none)
          --seed       seed of the stratified hold-out (default 1)
          --holdout    fraction of each label held out for the reported accuracy (default 0.2)
          --l2         L2 strength of the softmax head on standardized features (default 0.01)
          --providers  execution providers in order (default TensorRT,CUDA,CPU: the first that works runs the backbone)
          --threads    ONNX Runtime intra-op threads (default 0: one per core)
          --batch      images per backbone run (default 8)
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        string data = args.RequiredString("data");
        string? labels = args.String("labels");
        string output = args.RequiredString("out");
        string? cache = args.String("cache");
        int seed = args.Int("seed", 1);
        double holdOut = args.Double("holdout", TeachRequest.DefaultHoldOutFraction, 0.01, 0.9);
        double l2 = args.Double("l2", SoftmaxTrainer.DefaultL2, 0, 100);
        string? providers = args.String("providers");
        int threads = args.Int("threads", 0, 0, InferenceOptions.MaxThreads);
        int batch = args.Int("batch", 8, 1, InferenceOptions.MaxBatchLimit);
        args.EnsureAllUsed();
        if (!output.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out must name an .onnx file, not '{output}'");

        var options = new InferenceOptions { MaxBatch = batch, IntraOpThreads = threads, WarmUp = false };
        if (providers is not null) options.Providers = [.. providers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        try
        {
            options.ValidateOrThrow();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            throw new UsageException(string.Join("; ", e.Failures).Replace("Inference:Providers", "--providers", StringComparison.Ordinal));
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var teacher = new Teacher(PretrainedBackbones.Load(PretrainedBackbones.ImageNet), options, loggers.CreateLogger("teach"));
        var request = new TeachRequest
        {
            DatasetRoot = data,
            Labels = labels?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            OutputPath = output,
            CacheDirectory = cache,
            Seed = seed,
            HoldOutFraction = holdOut,
            L2 = l2,
        };
        TeachResult result;
        try
        {
            string last = "";
            result = teacher.Teach(request, p =>
            {
                string line = p.Phase == TeachProgress.Embedding ? $"embedding {p.Embedded}/{p.ToEmbed} ({p.Cached} cached)" : p.Phase;
                if (line == last) return;
                last = line;
                Console.Error.WriteLine("  " + line);
            }, cancellationToken);
        }
        catch (TeachingException e)
        {
            Console.Error.WriteLine($"edgevision teach: {e.Message}");
            return Task.FromResult(1);
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"taught {result.Labels.Count} labels → {result.ModelPath}");
        foreach (string label in result.Labels) Console.WriteLine($"  {label,-24} {result.ImagesPerLabel[label],5} images");
        Console.WriteLine(string.Create(inv, $"  hold-out top-1 {result.HoldOutAccuracy:P1} on {result.HoldOutImages} images; fitted on {result.FitImages} ({result.Iterations} L-BFGS iterations)"));
        Console.WriteLine(string.Create(inv, $"  embedded {result.Embedded} on {result.Provider}, {result.Cached} from the cache, {result.Skipped.Count} skipped"));
        foreach (var s in result.Skipped) Console.WriteLine($"    skipped {s.Path}: {s.Reason}");
        Console.WriteLine(string.Create(inv, $"  {result.Elapsed.TotalSeconds:F1} s (embedding {result.EmbedTime.TotalSeconds:F1} s, head {result.FitTime.TotalMilliseconds:F0} ms)"));
        return Task.FromResult(0);
    }
}
