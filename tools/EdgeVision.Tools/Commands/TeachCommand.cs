using System.Globalization;
using EdgeVision.Inference;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Teaching;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision teach</c>: the daemon's teach job without a daemon (frozen backbone in ONNX Runtime + softmax head, no libtorch).</summary>
public static class TeachCommand
{
    public static int Run(TeachArguments args, CancellationToken cancellationToken)
    {
        var (data, labels, output, cache, seed) = (args.Data, args.Labels, args.Out, args.Cache, args.Seed);
        var (holdOut, l2, providers, threads, batch) = (args.HoldOut, args.L2, args.Providers, args.Threads, args.Batch);

        var options = new InferenceOptions { MaxBatch = batch, IntraOpThreads = threads, WarmUp = false };
        if (providers is not null) options.Providers = providers;
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
            Labels = labels,
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
            return 1;
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"taught {result.Labels.Count} labels → {result.ModelPath}");
        foreach (string label in result.Labels) Console.WriteLine($"  {label,-24} {result.ImagesPerLabel[label],5} images");
        Console.WriteLine(string.Create(inv, $"  hold-out top-1 {result.HoldOutAccuracy:P1} on {result.HoldOutImages} images; fitted on {result.FitImages} ({result.Iterations} L-BFGS iterations)"));
        Console.WriteLine(string.Create(inv, $"  embedded {result.Embedded} on {result.Provider}, {result.Cached} from the cache, {result.Skipped.Count} skipped"));
        foreach (var s in result.Skipped) Console.WriteLine($"    skipped {s.Path}: {s.Reason}");
        Console.WriteLine(string.Create(inv, $"  {result.Elapsed.TotalSeconds:F1} s (embedding {result.EmbedTime.TotalSeconds:F1} s, head {result.FitTime.TotalMilliseconds:F0} ms)"));
        return 0;
    }
}
