using EdgeVision.Core.Model;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization;

/// <summary>Top-1 of a contract model (any precision) over a labelled dataset, fed as the daemon feeds frames.</summary>
public static class ModelEvaluator
{
    public sealed record Result(int Correct, int Total, int[] Predictions)
    {
        public double Top1 => Total == 0 ? 0 : (double)Correct / Total;
    }

    public static Result Evaluate(
        byte[] model, ContractModel contract, IImageDataset data, int? limit = null, int batch = 32,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(data);
        int total = Math.Min(limit ?? data.Count, data.Count);
        if (total <= 0) throw new InvalidDataException($"the test set '{data.Name}' is empty");
        int[] map = LabelMap.Create(data.Classes, contract.Metadata.Labels);
        int classes = contract.Signature.Classes;

        using var session = OrtSessions.Create(model);
        using var feeder = new BatchFeeder(batch, contract.Signature.Height, contract.Signature.Width, contract.Metadata.Resize);
        using var runOptions = new RunOptions();
        var predictions = new int[total];
        var slice = new int[batch];
        int correct = 0;
        for (int start = 0; start < total; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batch, total - start);
            for (int i = 0; i < n; i++) slice[i] = start + i;
            feeder.Fill(data, slice.AsSpan(0, n));
            using var input = feeder.Tensor(n);
            using var results = session.Run(runOptions, [ModelContract.InputName], [input], [ModelContract.ProbabilitiesName]);
            var probabilities = results[0].GetTensorDataAsSpan<float>();
            for (int i = 0; i < n; i++)
            {
                var row = probabilities.Slice(i * classes, classes);
                int best = 0;
                for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                predictions[start + i] = best;
                if (best == map[data.Label(start + i)]) correct++;
            }
            progress?.Report(start + n);
        }
        return new Result(correct, total, predictions);
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
