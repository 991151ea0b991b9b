namespace EdgeVision.Capture.Tests;

public class BackoffTests
{
    [Fact]
    public void Without_jitter_delays_double_up_to_the_cap_and_reset()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), jitterFraction: 0);
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalMilliseconds).ToArray();
        Assert.Equal([100, 200, 400, 800, 1000, 1000, 1000], delays);
        backoff.Reset();
        Assert.Equal(100, backoff.Next().TotalMilliseconds);
    }

    [Fact]
    public void Jitter_spreads_delays_within_its_fraction_and_never_exceeds_the_cap()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), 0.2, new Random(3));
        var seen = new HashSet<double>();
        for (int round = 0; round < 50; round++)
        {
            backoff.Reset();
            foreach (double expected in new double[] { 100, 200, 400, 500, 500 })
            {
                double ms = backoff.Next().TotalMilliseconds;
                Assert.InRange(ms, expected * 0.8 - 0.001, Math.Min(expected * 1.2, 500) + 0.001);
                seen.Add(ms);
            }
        }
        Assert.True(seen.Count > 50, "jitter should make delays differ");
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 1.5));
    }
}
