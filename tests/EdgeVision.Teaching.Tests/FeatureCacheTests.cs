namespace EdgeVision.Teaching.Tests;

public sealed class FeatureCacheTests
{
    [Fact]
    public void Entries_round_trip_per_content_hash_and_per_backbone()
    {
        using var dir = new TempDir();
        var cache = new FeatureCache(dir.Path, "backbone-a", 4);
        string hash = FeatureCache.HashOf("image bytes"u8);
        Assert.False(cache.TryGet(hash, out _));
        Assert.Null(cache.Put(hash, [1f, 2f, 3f, 4f]));
        Assert.True(cache.TryGet(hash, out var features));
        Assert.Equal([1f, 2f, 3f, 4f], features);
        Assert.False(new FeatureCache(dir.Path, "backbone-b", 4).TryGet(hash, out _));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_entry_of_the_wrong_size_is_a_miss()
    {
        using var dir = new TempDir();
        var cache = new FeatureCache(dir.Path, "b", 4);
        string hash = FeatureCache.HashOf([1, 2, 3]);
        cache.Put(hash, [1f, 2f, 3f, 4f]);
        Assert.False(new FeatureCache(dir.Path, "b", 8).TryGet(hash, out _));
    }
}
