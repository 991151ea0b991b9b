namespace EdgeVision.Teaching;

/// <summary>
/// Multinomial logistic regression with L2 on the weights (not the bias), fitted by L-BFGS with a backtracking
/// (Armijo) line search. Features are standardized for the fit, which conditions the problem, and the
/// standardization is folded back into the head exactly (W' = W/σ, b' = b − W·μ/σ), so the model's Gemm takes raw
/// backbone features. A few hundred features × tens of images converge in milliseconds; written here rather than
/// taken from ML.NET (docs/TEACHING.md has the measured comparison).
/// </summary>
public sealed class SoftmaxTrainer
{
    public const double DefaultL2 = 1e-2;
    private const int History = 10;

    /// <summary>L2 strength on the standardized weights, per averaged sample loss.</summary>
    public double L2 { get; init; } = DefaultL2;
    public int MaxIterations { get; init; } = 300;

    /// <summary>Stop when the largest gradient component is below this.</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>Iterations the last <see cref="Fit"/> took.</summary>
    public int Iterations { get; private set; }

    /// <summary>Loss (mean cross-entropy + L2 term) at the end of the last fit.</summary>
    public double FinalLoss { get; private set; }

    /// <param name="features">Row-major [n × d].</param>
    /// <param name="labels">Class of each row, 0..classes-1.</param>
    /// <param name="rows">The rows to fit on.</param>
    public SoftmaxHead Fit(float[] features, int featureCount, int[] labels, int classes, IReadOnlyList<int> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (rows.Count == 0) throw new ArgumentException("no rows to fit on", nameof(rows));
        int d = featureCount, n = rows.Count;

        // Standardize on the fitting rows; a constant feature keeps σ = 1 (it carries nothing, its weight stays 0).
        var mean = new double[d];
        var std = new double[d];
        foreach (int r in rows)
            for (int j = 0; j < d; j++) mean[j] += features[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        foreach (int r in rows)
            for (int j = 0; j < d; j++) { double v = features[r * d + j] - mean[j]; std[j] += v * v; }
        for (int j = 0; j < d; j++) { std[j] = Math.Sqrt(std[j] / n); if (std[j] < 1e-8) std[j] = 1; }
        var z = new double[n * d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int r = rows[i];
            y[i] = labels[r];
            if ((uint)y[i] >= (uint)classes) throw new ArgumentException($"row {r} has label {y[i]}, outside 0..{classes - 1}", nameof(labels));
            for (int j = 0; j < d; j++) z[i * d + j] = (features[r * d + j] - mean[j]) / std[j];
        }

        int p = classes * d + classes;
        var theta = new double[p];
        var grad = new double[p];
        double loss = Evaluate(theta, grad);
        var s = new double[History][];
        var yv = new double[History][];
        var rho = new double[History];
        int stored = 0, next = 0;
        var direction = new double[p];
        var alpha = new double[History];
        var thetaNew = new double[p];
        var gradNew = new double[p];
        int iteration = 0;
        for (; iteration < MaxIterations && MaxAbs(grad) > GradientTolerance; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Two-loop recursion: direction = −H·g.
            Array.Copy(grad, direction, p);
            for (int h = 0; h < stored; h++)
            {
                int k = (next - 1 - h + History) % History;
                alpha[k] = rho[k] * Dot(s[k], direction);
                Axpy(-alpha[k], yv[k], direction);
            }
            double gamma = stored > 0 ? Dot(s[(next - 1 + History) % History], yv[(next - 1 + History) % History]) / Dot(yv[(next - 1 + History) % History], yv[(next - 1 + History) % History]) : 1.0 / Math.Max(1e-12, Norm(grad));
            for (int i = 0; i < p; i++) direction[i] *= gamma;
            for (int h = stored - 1; h >= 0; h--)
            {
                int k = (next - 1 - h + History) % History;
                double beta = rho[k] * Dot(yv[k], direction);
                Axpy(alpha[k] - beta, s[k], direction);
            }
            for (int i = 0; i < p; i++) direction[i] = -direction[i];
            double slope = Dot(grad, direction);
            if (slope >= 0)
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                for (int i = 0; i < p; i++) direction[i] = -grad[i] / Math.Max(1e-12, Norm(grad));
                slope = Dot(grad, direction);
                stored = 0;
            }

            double step = 1, newLoss;
            while (true)
            {
                for (int i = 0; i < p; i++) thetaNew[i] = theta[i] + step * direction[i];
                newLoss = Evaluate(thetaNew, gradNew);
                if (newLoss <= loss + 1e-4 * step * slope || step < 1e-10) break;
                step *= 0.5;
            }
            var sk = new double[p];
            var yk = new double[p];
            for (int i = 0; i < p; i++) { sk[i] = thetaNew[i] - theta[i]; yk[i] = gradNew[i] - grad[i]; }
            double sy = Dot(sk, yk);
            if (sy > 1e-12)
            {
                s[next] = sk;
                yv[next] = yk;
                rho[next] = 1 / sy;
                next = (next + 1) % History;
                stored = Math.Min(stored + 1, History);
            }
            (theta, thetaNew) = (thetaNew, theta);
            (grad, gradNew) = (gradNew, grad);
            bool stalled = Math.Abs(loss - newLoss) <= 1e-12 * Math.Max(1, Math.Abs(loss));
            loss = newLoss;
            if (stalled) { iteration++; break; }
        }
        Iterations = iteration;
        FinalLoss = loss;

        // Fold the standardization into the head: W·((x − μ)/σ) + b = (W/σ)·x + (b − W·μ/σ).
        var weights = new float[classes * d];
        var bias = new float[classes];
        for (int k = 0; k < classes; k++)
        {
            double b = theta[classes * d + k];
            for (int j = 0; j < d; j++)
            {
                double w = theta[k * d + j] / std[j];
                weights[k * d + j] = (float)w;
                b -= w * mean[j];
            }
            bias[k] = (float)b;
        }
        return new SoftmaxHead(classes, d, weights, bias);

        double Evaluate(double[] t, double[] g)
        {
            Array.Clear(g);
            var logits = new double[classes];
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                var zi = z.AsSpan(i * d, d);
                double max = double.NegativeInfinity;
                for (int k = 0; k < classes; k++)
                {
                    double l = t[classes * d + k];
                    var w = t.AsSpan(k * d, d);
                    for (int j = 0; j < d; j++) l += w[j] * zi[j];
                    logits[k] = l;
                    if (l > max) max = l;
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) sum += Math.Exp(logits[k] - max);
                double logSum = max + Math.Log(sum);
                total += logSum - logits[y[i]];
                for (int k = 0; k < classes; k++)
                {
                    double residual = (Math.Exp(logits[k] - logSum) - (k == y[i] ? 1 : 0)) / n;
                    var gw = g.AsSpan(k * d, d);
                    for (int j = 0; j < d; j++) gw[j] += residual * zi[j];
                    g[classes * d + k] += residual;
                }
            }
            double penalty = 0;
            for (int i = 0; i < classes * d; i++)
            {
                penalty += t[i] * t[i];
                g[i] += L2 * t[i];
            }
            return total / n + 0.5 * L2 * penalty;
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static double MaxAbs(double[] a)
    {
        double max = 0;
        foreach (double v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
