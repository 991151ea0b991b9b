using System.Diagnostics;
using EdgeVision.Core.Model;
using EdgeVision.Inference;
using EdgeVision.Onnx.Pretrained;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeVision.Teaching;

/// <summary>
/// Teaching end to end, on the calling thread: list the captures, embed the ones the cache has not seen with the
/// frozen backbone, fit a softmax head on a seeded stratified split, measure it on the held-out captures, and
/// write one contract model (preprocessing + backbone + Gemm + softmax). The daemon job and <c>edgevision teach</c>
/// both run exactly this.
/// </summary>
public sealed class Teacher
{
    private readonly PretrainedBackbone _backbone;
    private readonly InferenceOptions _options;
    private readonly ILogger _logger;
    private readonly ModelFileWriter _writer;

    /// <param name="extractorOptions">Provider chain, threads and embedding batch (<see cref="InferenceOptions.MaxBatch"/>) of the backbone session.</param>
    public Teacher(PretrainedBackbone backbone, InferenceOptions extractorOptions, ILogger? logger = null, ModelFileWriter? writer = null)
    {
        _backbone = backbone ?? throw new ArgumentNullException(nameof(backbone));
        _options = extractorOptions ?? throw new ArgumentNullException(nameof(extractorOptions));
        _logger = logger ?? NullLogger.Instance;
        _writer = writer ?? new ModelFileWriter();
    }

    public TeachResult Teach(TeachRequest request, Action<TeachProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.StartNew();
        progress ??= _ => { };
        progress(new TeachProgress(TeachProgress.Scanning, 0, 0, 0, 0, 0, null));
        var set = CaptureSet.Scan(request.DatasetRoot, request.Labels);
        EnsureTeachable(set);

        // Pass 1: hash every capture; the cache answers for the ones seen before.
        var cache = request.CacheDirectory is { } dir
            ? new FeatureCache(dir, $"{_backbone.Name}-{_backbone.InputWidth}x{_backbone.InputHeight}-stretch", _backbone.FeatureCount)
            : null;
        int d = _backbone.FeatureCount;
        var features = new float[set.Files.Count][];
        var hashes = new string[set.Files.Count];
        var skipped = new List<SkippedCapture>();
        var misses = new List<int>();
        for (int i = 0; i < set.Files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                hashes[i] = FeatureCache.HashOf(File.ReadAllBytes(set.Files[i].Path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.Add(new SkippedCapture(set.Files[i].Path, $"unreadable: {e.Message}"));
                continue;
            }
            if (cache is not null && cache.TryGet(hashes[i], out var hit)) features[i] = hit;
            else misses.Add(i);
        }
        int cached = set.Files.Count - misses.Count - skipped.Count;
        progress(new TeachProgress(TeachProgress.Embedding, set.Files.Count, 0, misses.Count, cached, skipped.Count, null));

        // Pass 2: decode and embed the misses, a batch at a time (only one batch of decoded frames is ever held).
        var embedWatch = Stopwatch.StartNew();
        string provider = "cached";
        int embedded = 0;
        if (misses.Count > 0)
        {
            using var extractor = new FeatureExtractor(_backbone, _options, _logger);
            provider = extractor.Provider;
            var batch = new List<(int Index, Mat Image)>(extractor.BatchSize);
            try
            {
                foreach (int i in misses)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var image = Decode(set.Files[i].Path, out string? problem);
                    if (image is null)
                    {
                        skipped.Add(new SkippedCapture(set.Files[i].Path, problem!));
                        continue;
                    }
                    batch.Add((i, image));
                    if (batch.Count == extractor.BatchSize) Flush();
                }
                if (batch.Count > 0) Flush();
            }
            finally
            {
                foreach (var (_, image) in batch) image.Dispose();
            }

            void Flush()
            {
                float[] rows = extractor.Embed([.. batch.Select(b => b.Image)], cancellationToken);
                for (int b = 0; b < batch.Count; b++)
                {
                    int i = batch[b].Index;
                    features[i] = rows.AsSpan(b * d, d).ToArray();
                    if (cache?.Put(hashes[i], features[i]) is { } failure)
                        _logger.LogWarning("Feature cache entry for {Path} not written: {Error}", set.Files[i].Path, failure.Message);
                    batch[b].Image.Dispose();
                }
                embedded += batch.Count;
                batch.Clear();
                progress(new TeachProgress(TeachProgress.Embedding, set.Files.Count, embedded, misses.Count, cached, skipped.Count, null));
            }
        }
        embedWatch.Stop();
        if (skipped.Count > 0)
            _logger.LogWarning("{Skipped} capture(s) skipped, e.g. {Path}: {Reason}", skipped.Count, skipped[0].Path, skipped[0].Reason);

        // The usable captures, re-checked now that corrupt ones are known.
        var usable = Enumerable.Range(0, set.Files.Count).Where(i => features[i] is not null).ToList();
        var perLabel = set.Labels.ToDictionary(l => l, l => usable.Count(i => set.Files[i].Label == l), StringComparer.Ordinal);
        CheckLabels(set, perLabel, "readable images", skipped.Count);
        var matrix = new float[usable.Count * d];
        var classOf = new int[usable.Count];
        var labelIndex = set.Labels.Select((l, k) => (l, k)).ToDictionary(p => p.l, p => p.k, StringComparer.Ordinal);
        for (int r = 0; r < usable.Count; r++)
        {
            features[usable[r]].CopyTo(matrix, r * d);
            classOf[r] = labelIndex[set.Files[usable[r]].Label];
        }

        progress(new TeachProgress(TeachProgress.Fitting, set.Files.Count, embedded, misses.Count, cached, skipped.Count, null));
        var fitWatch = Stopwatch.StartNew();
        var (fitRows, holdOutRows) = StratifiedSplit.Split(classOf, set.Labels.Count, request.HoldOutFraction, request.Seed);
        var trainer = new SoftmaxTrainer { L2 = request.L2 };
        var head = trainer.Fit(matrix, d, classOf, set.Labels.Count, fitRows, cancellationToken);
        double accuracy = head.Accuracy(matrix, classOf, holdOutRows);
        fitWatch.Stop();
        progress(new TeachProgress(TeachProgress.Writing, set.Files.Count, embedded, misses.Count, cached, skipped.Count, accuracy));

        cancellationToken.ThrowIfCancellationRequested();
        var metadata = new ModelMetadata
        {
            Labels = set.Labels,
            Architecture = $"{_backbone.Name}+softmax",
            // Set from the backbone by the builder.
            InputWidth = _backbone.InputWidth,
            InputHeight = _backbone.InputHeight,
            Color = ColorMode.Bgr,
            Mean = [0, 0, 0],
            Std = [1, 1, 1],
            Resize = ResizePolicy.Stretch,
            Dataset = "captures (hold-out)",
            Top1 = accuracy,
            TrainedAt = DateTimeOffset.UtcNow,
            Pretrained = _backbone.Name,
            Frozen = "backbone",
            TaughtFrom = fitRows.Count,
        };
        var model = BackboneClassifierModel.Build(_backbone, head.Weights, head.Bias, metadata);
        _writer.Write(model, request.OutputPath);
        started.Stop();
        _logger.LogInformation(
            "Taught {Labels} from {Fit} captures ({HoldOut} held out, {Accuracy:P1} right) in {Seconds:F1} s: {Embedded} embedded on {Provider}, {Cached} cached, {Skipped} skipped → {Path}",
            string.Join(", ", set.Labels), fitRows.Count, holdOutRows.Count, accuracy, started.Elapsed.TotalSeconds, embedded, provider, cached, skipped.Count, request.OutputPath);
        return new TeachResult
        {
            ModelPath = Path.GetFullPath(request.OutputPath),
            Labels = set.Labels,
            ImagesPerLabel = perLabel,
            FitImages = fitRows.Count,
            HoldOutImages = holdOutRows.Count,
            HoldOutAccuracy = accuracy,
            Embedded = embedded,
            Cached = cached,
            Skipped = skipped,
            Provider = provider,
            EmbedTime = embedWatch.Elapsed,
            FitTime = fitWatch.Elapsed,
            Elapsed = started.Elapsed,
            Iterations = trainer.Iterations,
        };
    }

    /// <summary>
    /// Throws <see cref="TeachingException"/> unless <paramref name="set"/> has at least 2 labels with at least
    /// <see cref="TeachRequest.MinImagesPerLabel"/> image files each: the check a caller can make before starting a run
    /// (corrupt files are only found by decoding them, during the run).
    /// </summary>
    public static void EnsureTeachable(CaptureSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        CheckLabels(set, set.Labels.ToDictionary(l => l, set.CountOf), "image files");
    }

    private static void CheckLabels(CaptureSet set, IReadOnlyDictionary<string, int> counts, string what, int skipped = 0)
    {
        if (set.Labels.Count < 2)
        {
            throw new TeachingException(set.Labels.Count == 0
                ? $"no labels under {set.Root}; capture frames of at least 2 labels first"
                : $"teaching needs at least 2 labels, {set.Root} has only '{set.Labels[0]}'; capture frames of another label too");
        }
        var few = counts.Where(c => c.Value < TeachRequest.MinImagesPerLabel).Select(c => $"'{c.Key}' has {c.Value}").ToList();
        if (few.Count > 0)
        {
            throw new TeachingException($"every label needs at least {TeachRequest.MinImagesPerLabel} {what}: {string.Join(", ", few)}" +
                (skipped > 0 ? $" ({skipped} capture(s) were unreadable or corrupt and skipped)" : ""));
        }
    }

    /// <summary>The image, or null with the reason: a truncated or non-image file decodes to an empty Mat.</summary>
    private static Mat? Decode(string path, out string? problem)
    {
        problem = null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"unreadable: {e.Message}";
            return null;
        }
        Mat image;
        try
        {
            image = Cv2.ImDecode(bytes, ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            problem = $"not a decodable image: {e.Message}";
            return null;
        }
        if (image.Empty())
        {
            image.Dispose();
            problem = "not a decodable image (corrupt or truncated)";
            return null;
        }
        return image;
    }
}
