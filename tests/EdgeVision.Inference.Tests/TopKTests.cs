namespace EdgeVision.Inference.Tests;

public sealed class TopKTests
{
    [Fact]
    public void Selects_the_highest_scores_in_descending_order_like_a_full_sort()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = rng.Next(1, 1200);
            var scores = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
            int k = rng.Next(1, 12);
            var expected = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).ToArray();
            var got = new int[k];
            int written = TopK.Select(scores, got);
            Assert.Equal(Math.Min(k, n), written);
            Assert.Equal(expected, got.Take(written));
        }
    }

    [Fact]
    public void Ties_keep_the_lower_index_first_and_NaN_ranks_last()
    {
        float[] scores = [0.5f, float.NaN, 0.9f, 0.5f, 0.9f];
        var idx = new int[5];
        Assert.Equal(5, TopK.Select(scores, idx));
        Assert.Equal([2, 4, 0, 3, 1], idx);
    }

    [Fact]
    public void Asking_for_more_than_there_are_returns_all_and_nothing_for_empty_input()
    {
        var idx = new int[10];
        Assert.Equal(3, TopK.Select([0.1f, 0.3f, 0.2f], idx));
        Assert.Equal([1, 2, 0], idx.Take(3));
        Assert.Equal(0, TopK.Select([], idx));
        Assert.Equal(0, TopK.Select([1f], Span<int>.Empty));
    }

    [Fact]
    public void Selecting_allocates_no_managed_memory()
    {
        var scores = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i)).ToArray();
        Span<int> idx = stackalloc int[5];
        TopK.Select(scores, idx);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) TopK.Select(scores, idx);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
