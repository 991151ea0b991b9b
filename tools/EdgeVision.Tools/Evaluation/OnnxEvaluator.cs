using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeVision.Inference;
using EdgeVision.Training.Data;
using OpenCvSharp;

namespace EdgeVision.Tools.Evaluation;

/// <summary>The result of running a contract model over a labelled split.</summary>
public sealed record OnnxEvaluation(double Top1, double Top5, int[] Predictions, int[] Labels, double ImagesPerSecond, string Provider);

/// <summary>
/// Runs a split through <see cref="Classifier"/> exactly as the daemon would: each image is handed over as an
/// OpenCV Mat (grey or BGR) and the model's own graph does all preprocessing.
/// </summary>
public static class OnnxEvaluator
{
    public static OnnxEvaluation Run(Classifier classifier, ImageDataset data, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (classifier.ClassCount != data.Classes.Count)
            throw new ArgumentException($"{classifier.ModelPath} has {classifier.ClassCount} classes but {data.Name} has {data.Classes.Count}");
        int batch = classifier.MaxBatch;
        var predictions = new int[data.Count];
        long top1 = 0, top5 = 0;
        int k = Math.Min(5, classifier.ClassCount);
        Span<int> best = stackalloc int[k];
        var type = data.Channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3;
        var mats = Enumerable.Range(0, batch).Select(_ => new Mat(data.Height, data.Width, type)).ToArray();
        try
        {
            var clock = Stopwatch.StartNew();
            for (int start = 0; start < data.Count; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(batch, data.Count - start);
                for (int i = 0; i < n; i++)
                {
                    Marshal.Copy(data.Pixels, (start + i) * data.ImageBytes, mats[i].Data, data.ImageBytes);
                    classifier.SetFrame(i, mats[i]);
                }
                var probabilities = classifier.Run(n, cancellationToken);
                for (int i = 0; i < n; i++)
                {
                    int count = TopK.Select(probabilities.Slice(i * classifier.ClassCount, classifier.ClassCount), best);
                    int label = data.Labels[start + i];
                    predictions[start + i] = best[0];
                    if (best[0] == label) top1++;
                    if (best[..count].Contains(label)) top5++;
                }
                progress?.Report(start + n);
            }
            return new OnnxEvaluation((double)top1 / data.Count, (double)top5 / data.Count, predictions, data.Labels,
                data.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), classifier.Provider);
        }
        finally
        {
            foreach (var m in mats) m.Dispose();
        }
    }
}
