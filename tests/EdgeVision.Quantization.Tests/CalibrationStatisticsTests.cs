using EdgeVision.Data;
using EdgeVision.Quantization;

namespace EdgeVision.Quantization.Tests;

public sealed class CalibrationStatisticsTests
{
    [Fact]
    public void Min_max_keeps_the_observed_extremes()
    {
        var s = new TensorStatistics("t");
        s.Add([-0.5f, 2f, 1f]);
        s.Add([3.5f, -1.25f]);
        var r = ActivationRange.From(s, CalibrationMethod.MinMax);
        Assert.Equal(-1.25f, r.Min);
        Assert.Equal(3.5f, r.Max);
        Assert.Equal(5, s.Count);
    }

    [Fact]
    public void Widening_the_histogram_keeps_every_value()
    {
        var s = new TensorStatistics("t");
        s.Add(Enumerable.Range(0, 1000).Select(i => i / 1000f).ToArray());
        s.Add([37f]);
        long total = 0;
        foreach (long c in s.Histogram) total += c;
        Assert.Equal(1001, total);
        Assert.True(s.BinWidth * TensorStatistics.Bins >= 37);
    }

    [Fact]
    public void Percentile_of_a_uniform_distribution_is_its_quantile()
    {
        var s = new TensorStatistics("u");
        var rng = new Random(3);
        s.Add(Enumerable.Range(0, 200_000).Select(_ => (float)rng.NextDouble() * 10f).ToArray());
        Assert.InRange(s.AbsPercentile(90), 8.9f, 9.1f);
        Assert.InRange(s.AbsPercentile(50), 4.9f, 5.1f);
        var r = ActivationRange.From(s, CalibrationMethod.Percentile, 99);
        Assert.Equal(0f, r.Min, 3);
        Assert.InRange(r.Max, 9.8f, 9.95f);
    }

    [Fact]
    public void Percentile_clips_rare_outliers()
    {
        var s = new TensorStatistics("o");
        var values = Enumerable.Repeat(1f, 100_000).Concat([1000f]).ToArray();
        s.Add(values);
        var r = ActivationRange.From(s, CalibrationMethod.Percentile, 99.99);
        Assert.True(r.Max < 10f, $"percentile range max {r.Max} should clip the single outlier at 1000");
    }

    [Fact]
    public void Entropy_threshold_is_below_the_maximum_of_a_long_tailed_distribution()
    {
        var s = new TensorStatistics("laplace");
        var rng = new Random(11);
        // Exponential(1) magnitudes: the maximum of 200k samples is ~12, most mass lies below 3.
        s.Add(Enumerable.Range(0, 200_000).Select(_ => (float)-Math.Log(1 - rng.NextDouble())).ToArray());
        var entropy = ActivationRange.From(s, CalibrationMethod.Entropy);
        Assert.True(entropy.Max < 0.8f * s.Max, $"entropy threshold {entropy.Max} should clip the tail (max {s.Max})");
        Assert.True(entropy.Max > 2f, $"entropy threshold {entropy.Max} should keep the bulk of the distribution");
    }

    [Fact]
    public void Entropy_never_clips_the_body_of_a_distribution_with_a_background_spike()
    {
        // A feature map of a mostly uniform image: 70 % of the values are the background's one response, the
        // object's values spread above it.
        var s = new TensorStatistics("stem.relu");
        var rng = new Random(3);
        s.Add(Enumerable.Range(0, 200_000).Select(i => i % 10 < 7 ? 0.2f : 0.2f + 1.4f * (float)rng.NextDouble()).ToArray());
        // The hazard: KL on its own settles just past the spike.
        double klOnly = EntropyThreshold.Search(s.NonZeroHistogram()) * s.BinWidth;
        Assert.True(klOnly < 0.5 * s.Max, $"KL alone kept {klOnly} of {s.Max}: the data no longer shows the hazard");

        var entropy = ActivationRange.From(s, CalibrationMethod.Entropy);
        Assert.True(entropy.Max >= s.AbsPercentile(ActivationRange.EntropyClipFloor), $"threshold {entropy.Max} clips more than the rarest 0.1 %");
        Assert.True(entropy.Max > 0.95f * s.Max, $"the object's values reach {s.Max}, the threshold is {entropy.Max}");
    }

    [Fact]
    public void Entropy_keeps_the_whole_range_of_a_uniform_distribution()
    {
        var s = new TensorStatistics("uniform");
        var rng = new Random(5);
        s.Add(Enumerable.Range(0, 200_000).Select(_ => (float)rng.NextDouble() * 4f).ToArray());
        var entropy = ActivationRange.From(s, CalibrationMethod.Entropy);
        Assert.True(entropy.Max > 0.95f * s.Max, $"a uniform distribution has no tail to clip, threshold {entropy.Max} of max {s.Max}");
    }

    [Fact]
    public void Statistics_are_identical_for_the_same_values_in_the_same_order()
    {
        TensorStatistics Run()
        {
            var s = new TensorStatistics("d");
            var rng = new Random(9);
            for (int b = 0; b < 5; b++) s.Add(Enumerable.Range(0, 5000).Select(_ => (float)(rng.NextDouble() * (b + 1) * 3 - 1)).ToArray());
            return s;
        }
        var a = Run();
        var b = Run();
        Assert.Equal(a.Histogram.ToArray(), b.Histogram.ToArray());
        foreach (var m in Enum.GetValues<CalibrationMethod>())
            Assert.Equal(ActivationRange.From(a, m), ActivationRange.From(b, m));
    }

    [Fact]
    public void Non_finite_activations_are_reported_by_tensor_name()
    {
        var s = new TensorStatistics("conv7");
        var e = Assert.Throws<InvalidDataException>(() => s.Add([1f, float.NaN]));
        Assert.Contains("conv7", e.Message);
    }

    [Theory]
    [InlineData("minmax", CalibrationMethod.MinMax)]
    [InlineData("Percentile", CalibrationMethod.Percentile)]
    [InlineData("entropy", CalibrationMethod.Entropy)]
    public void Method_names_parse(string text, CalibrationMethod expected) => Assert.Equal(expected, CalibrationMethods.Parse(text));

    [Fact]
    public void An_unknown_method_is_an_error_that_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => CalibrationMethods.Parse("mse"));
        Assert.Contains("'mse'", e.Message);
        Assert.Contains("entropy", e.Message);
    }

    [Fact]
    public void Even_sampling_spreads_over_the_dataset_and_rejects_an_empty_set()
    {
        Assert.Equal([0, 25, 50, 75], DatasetSource.EvenSample(100, 4));
        Assert.Equal([0, 1, 2], DatasetSource.EvenSample(3, 512));
        Assert.Throws<InvalidDataException>(() => DatasetSource.EvenSample(0, 10));
    }
}
