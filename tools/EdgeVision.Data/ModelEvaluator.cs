using System.Diagnostics;
using EdgeVision.Inference;

namespace EdgeVision.Data;

/// <summary>
/// Scores a contract model (any precision) over a labelled dataset through the daemon's own
/// <see cref="Classifier"/>: each image goes in as the OpenCV Mat the dataset yields (grey or BGR, any
/// size) and the classifier fits it and runs the graph, so what is measured is what the daemon would do.
/// </summary>
public static class ModelEvaluator
{
    /// <param name="Predictions">The model's top-1 index per image.</param>
    /// <param name="Labels">Each image's true class as a model output index (after the label map).</param>
    public sealed record Result(int Correct, int CorrectTop5, int Total, int[] Predictions, int[] Labels, double ImagesPerSecond, string Provider)
    {
        public double Top1 => Total == 0 ? 0 : (double)Correct / Total;
        public double Top5 => Total == 0 ? 0 : (double)CorrectTop5 / Total;
    }

    /// <summary>
    /// Opens <paramref name="model"/> on the CPU provider (as calibration and the daemon's CPU fallback run it)
    /// and scores the first <paramref name="limit"/> images, dataset classes mapped onto the model's labels by
    /// <see cref="LabelMap"/>.
    /// </summary>
    public static Result Evaluate(
        byte[] model, string name, IImageDataset data, int? limit = null, int batch = 32,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Math.Min(limit ?? data.Count, data.Count) <= 0) throw new InvalidDataException($"the test set '{data.Name}' is empty");
        using var classifier = Classifier.Load(model, name, new InferenceOptions { Providers = ["CPU"], MaxBatch = batch });
        return Evaluate(classifier, data, LabelMap.Create(data.Classes, classifier.Labels), limit, progress, cancellationToken);
    }

    /// <param name="labelMap">Dataset class → model output index; null scores by class index (the counts must agree).</param>
    public static Result Evaluate(
        Classifier classifier, IImageDataset data, int[]? labelMap = null, int? limit = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(data);
        if (labelMap is null && classifier.ClassCount != data.Classes.Count)
            throw new ArgumentException($"{classifier.ModelPath} has {classifier.ClassCount} classes but {data.Name} has {data.Classes.Count}");
        int total = Math.Min(limit ?? data.Count, data.Count);
        if (total <= 0) throw new InvalidDataException($"the test set '{data.Name}' is empty");
        int batch = classifier.MaxBatch;
        int classes = classifier.ClassCount;
        var predictions = new int[total];
        var labels = new int[total];
        int top1 = 0, top5 = 0;
        Span<int> best = stackalloc int[Math.Min(5, classes)];
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < total; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batch, total - start);
            for (int i = 0; i < n; i++)
            {
                using var image = data.Read(start + i);
                classifier.SetFrame(i, image);
            }
            var probabilities = classifier.Run(n, cancellationToken);
            for (int i = 0; i < n; i++)
            {
                // TopK breaks ties towards the lower index, as a first-maximum argmax does.
                int count = TopK.Select(probabilities.Slice(i * classes, classes), best);
                int label = data.Label(start + i);
                if (labelMap is not null) label = labelMap[label];
                predictions[start + i] = best[0];
                labels[start + i] = label;
                if (best[0] == label) top1++;
                if (best[..count].Contains(label)) top5++;
            }
            progress?.Report(start + n);
        }
        return new Result(top1, top5, total, predictions, labels, total / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), classifier.Provider);
    }

    /// <summary>The fraction of images on which two prediction lists agree.</summary>
    public static double Agreement(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException($"prediction lists of {a.Count} and {b.Count} cannot be compared");
        int same = 0;
        for (int i = 0; i < a.Count; i++) if (a[i] == b[i]) same++;
        return (double)same / a.Count;
    }
}
