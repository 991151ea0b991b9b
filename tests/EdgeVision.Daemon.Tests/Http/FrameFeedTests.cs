using EdgeVision.Daemon.Streaming;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class FrameFeedTests
{
    private static byte[] Jpeg(byte marker) => [0xFF, 0xD8, marker, 0xFF, 0xD9];

    [Fact]
    public async Task A_busy_reader_gets_the_newest_frame_next_skipping_the_ones_in_between()
    {
        var feed = new FrameFeed();
        feed.Publish(Jpeg(1), 1);
        var first = await feed.WaitNewerAsync(-1, CancellationToken.None);

        for (byte i = 2; i <= 9; i++) feed.Publish(Jpeg(i), i);
        var next = await feed.WaitNewerAsync(first.Sequence, CancellationToken.None);

        Assert.Equal(1, first.Sequence);
        Assert.Equal(1, first.Bytes.Span[2]); // still intact although eight frames were published since
        Assert.Equal(9, next.Sequence);
        Assert.Equal(9, next.Bytes.Span[2]);
        first.Release();
        next.Release();
    }

    [Fact]
    public async Task Waiting_reader_wakes_on_publish()
    {
        var feed = new FrameFeed();
        feed.Publish(Jpeg(1), 1);
        var waiting = feed.WaitNewerAsync(1, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        feed.Publish(Jpeg(2), 2);
        var frame = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, frame.Sequence);
        frame.Release();
    }

    [Fact]
    public async Task Buffers_are_recycled_once_no_reader_holds_them_so_memory_does_not_grow_with_frames()
    {
        var feed = new FrameFeed();
        var held = new List<SharedJpeg>();
        feed.Publish(Jpeg(0), 0);
        for (int i = 1; i <= 1000; i++)
        {
            feed.Publish(Jpeg((byte)i), i);
            if (i % 250 == 0) held.Add(await feed.WaitNewerAsync(i - 1, CancellationToken.None));
        }
        var distinct = new HashSet<SharedJpeg>(ReferenceEqualityComparer.Instance);
        for (int i = 1001; i <= 1100; i++)
        {
            feed.Publish(Jpeg((byte)i), i);
            var frame = feed.AcquireLatest()!;
            distinct.Add(frame);
            frame.Release();
        }

        // Four frames pinned by slow readers, the newest, and one being filled: never one per frame.
        Assert.True(distinct.Count <= 3, $"{distinct.Count} buffers cycled for 100 frames");
        Assert.All(held, frame => Assert.Equal(frame.Sequence % 256, frame.Bytes.Span[2]));
        foreach (var frame in held) frame.Release();
    }

    [Fact]
    public void Releasing_more_often_than_acquired_is_caught()
    {
        var feed = new FrameFeed();
        feed.Publish(Jpeg(1), 1);
        var frame = feed.AcquireLatest()!;
        frame.Release();
        feed.Publish(Jpeg(2), 2); // drops the feed's own reference: frame 1 is back in the pool

        Assert.Throws<InvalidOperationException>(frame.Release);
    }

    [Fact]
    public async Task Cancelled_wait_ends_without_a_frame()
    {
        var feed = new FrameFeed();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => feed.WaitNewerAsync(-1, cts.Token).AsTask());
    }
}
