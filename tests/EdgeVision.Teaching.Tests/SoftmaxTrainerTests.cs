namespace EdgeVision.Teaching.Tests;

public sealed class SoftmaxTrainerTests
{
    /// <summary>Gaussian clusters in <paramref name="d"/> dimensions with offsets and scales far from standardized, as backbone features are.</summary>
    internal static (float[] X, int[] Y) Clusters(int classes, int perClass, int d, double separation, int seed)
    {
        var random = new Random(seed);
        var centres = new double[classes, d];
        for (int k = 0; k < classes; k++)
            for (int j = 0; j < d; j++) centres[k, j] = Gaussian(random) * separation;
        var x = new float[classes * perClass * d];
        var y = new int[classes * perClass];
        for (int i = 0; i < classes * perClass; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < d; j++) x[i * d + j] = (float)(5 + 3 * (j % 7) + (centres[y[i], j] + Gaussian(random)) * (1 + j % 3));
        }
        return (x, y);
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void Separable_clusters_are_learned_and_the_folded_head_takes_raw_features()
    {
        var (x, y) = Clusters(classes: 4, perClass: 40, d: 64, separation: 1.0, seed: 3);
        var (fit, holdOut) = StratifiedSplit.Split(y, 4, 0.25, seed: 1);
        var trainer = new SoftmaxTrainer();
        var head = trainer.Fit(x, 64, y, 4, fit);
        Assert.True(head.Accuracy(x, y, holdOut) >= 0.97, $"hold-out accuracy {head.Accuracy(x, y, holdOut)}");
        Assert.Equal(1.0, head.Accuracy(x, y, fit));
        Assert.True(trainer.Iterations < trainer.MaxIterations, "L-BFGS should converge before the iteration cap");
    }

    [Fact]
    public void The_fit_reaches_the_minimum_plain_gradient_descent_approaches()
    {
        // Same problem, two optimisers: L-BFGS must end at a loss no worse than many more steps of gradient descent reach.
        var (x, y) = Clusters(classes: 3, perClass: 20, d: 16, separation: 0.4, seed: 5);
        var rows = Enumerable.Range(0, y.Length).ToList();
        var lbfgs = new SoftmaxTrainer { L2 = 0.05 };
        lbfgs.Fit(x, 16, y, 3, rows);
        var slow = new SoftmaxTrainer { L2 = 0.05, MaxIterations = 3, GradientTolerance = 0 };
        slow.Fit(x, 16, y, 3, rows);
        Assert.True(lbfgs.FinalLoss < slow.FinalLoss, $"converged {lbfgs.FinalLoss} vs 3 iterations {slow.FinalLoss}");
        Assert.True(lbfgs.FinalLoss > 0);
    }

    [Fact]
    public void Stronger_L2_gives_smaller_weights()
    {
        var (x, y) = Clusters(classes: 3, perClass: 15, d: 32, separation: 1.0, seed: 8);
        var rows = Enumerable.Range(0, y.Length).ToList();
        double Norm(SoftmaxHead h) => Math.Sqrt(h.Weights.Sum(w => (double)w * w));
        var weak = new SoftmaxTrainer { L2 = 1e-3 }.Fit(x, 32, y, 3, rows);
        var strong = new SoftmaxTrainer { L2 = 1 }.Fit(x, 32, y, 3, rows);
        Assert.True(Norm(strong) < Norm(weak) / 3, $"|W| with L2=1: {Norm(strong)}, with 1e-3: {Norm(weak)}");
    }

    [Fact]
    public void The_hold_out_is_stratified_seeded_and_never_takes_a_whole_label()
    {
        int[] labels = [.. Enumerable.Range(0, 50).Select(i => i < 30 ? 0 : i < 45 ? 1 : 2)];
        var (fit, holdOut) = StratifiedSplit.Split(labels, 3, 0.2, seed: 4);
        Assert.Equal(6, holdOut.Count(i => labels[i] == 0));
        Assert.Equal(3, holdOut.Count(i => labels[i] == 1));
        Assert.Equal(1, holdOut.Count(i => labels[i] == 2));
        Assert.Equal(50, fit.Count + holdOut.Count);
        Assert.Empty(fit.Intersect(holdOut));
        Assert.Equal(holdOut, StratifiedSplit.Split(labels, 3, 0.2, seed: 4).HoldOut);
        Assert.NotEqual(holdOut, StratifiedSplit.Split(labels, 3, 0.2, seed: 5).HoldOut);
    }
}
