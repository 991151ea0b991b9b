namespace EdgeVision.Teaching;

/// <summary>A linear softmax head over raw backbone features: logits = W·x + b, W row-major [classes × features].</summary>
public sealed record SoftmaxHead(int Classes, int Features, float[] Weights, float[] Bias)
{
    /// <summary>The most probable class of one feature vector.</summary>
    public int Predict(ReadOnlySpan<float> x)
    {
        int best = 0;
        double bestLogit = double.NegativeInfinity;
        for (int k = 0; k < Classes; k++)
        {
            double logit = Bias[k];
            var row = Weights.AsSpan(k * Features, Features);
            for (int j = 0; j < Features; j++) logit += row[j] * x[j];
            if (logit > bestLogit) { bestLogit = logit; best = k; }
        }
        return best;
    }

    /// <summary>The fraction of <paramref name="rows"/> predicted as their label; NaN for none.</summary>
    public double Accuracy(float[] features, int[] labels, IReadOnlyList<int> rows)
    {
        if (rows.Count == 0) return double.NaN;
        int right = rows.Count(r => Predict(features.AsSpan(r * Features, Features)) == labels[r]);
        return (double)right / rows.Count;
    }
}
