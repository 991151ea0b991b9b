using OpenCvSharp;

namespace EdgeVision.Capture.Tests;

public class LatestFrameSlotTests
{
    private static void Fill(CapturedFrame frame, long sequence)
    {
        if (frame.Image.Empty()) frame.Image.Create(24, 32, MatType.CV_8UC3);
        frame.Image.SetTo(new Scalar(sequence % 256, 1, 2));
        frame.Sequence = sequence;
    }

    [Fact]
    public void Newest_frame_wins_and_overwritten_frames_count_as_dropped()
    {
        using var slot = new LatestFrameSlot("cam");
        var back = LatestFrameSlot.CreateBackBuffer();
        for (int i = 1; i <= 3; i++)
        {
            Fill(back, i);
            slot.Publish(ref back);
        }

        Assert.True(slot.TryTake(out var frame));
        Assert.Equal(3, frame.Sequence);
        Assert.Equal(3, frame.Image.At<Vec3b>(0, 0).Item0);
        Assert.Equal(2, slot.Dropped);
        Assert.Equal(3, slot.Published);
        Assert.Equal(1, slot.Taken);
        back.Dispose();
    }

    [Fact]
    public void Take_returns_only_unseen_frames()
    {
        using var slot = new LatestFrameSlot("cam");
        var back = LatestFrameSlot.CreateBackBuffer();
        Assert.False(slot.TryTake(out _));
        Fill(back, 1);
        slot.Publish(ref back);
        Assert.True(slot.HasUnseen);
        Assert.True(slot.TryTake(out var first));
        Assert.False(slot.HasUnseen);
        Assert.False(slot.TryTake(out var again));
        Assert.Same(first, again);
        Assert.Equal(1, again.Sequence);
        Fill(back, 2);
        slot.Publish(ref back);
        Assert.True(slot.TryTake(out var second));
        Assert.Equal(2, second.Sequence);
        Assert.Equal(0, slot.Dropped);
        back.Dispose();
    }

    [Fact]
    public void Steady_state_rotates_three_buffers_without_allocating_mats()
    {
        using var slot = new LatestFrameSlot("cam");
        var back = LatestFrameSlot.CreateBackBuffer();
        var frames = new HashSet<CapturedFrame>(ReferenceEqualityComparer.Instance);
        var pixels = new HashSet<nint>();
        for (int i = 1; i <= 1000; i++)
        {
            Fill(back, i);
            frames.Add(back);
            pixels.Add(back.Image.Data);
            slot.Publish(ref back);
            if (i % 3 != 0)
            {
                Assert.True(slot.TryTake(out var taken));
                Assert.Equal(i, taken.Sequence);
                frames.Add(taken);
                pixels.Add(taken.Image.Data);
            }
        }
        Assert.Equal(3, frames.Count);
        Assert.Equal(3, pixels.Count);
        back.Dispose();
    }

    [Fact]
    public void Concurrent_producer_and_consumer_see_increasing_sequences_and_account_for_every_frame()
    {
        using var slot = new LatestFrameSlot("cam");
        const int Frames = 20_000;
        var producer = new Thread(() =>
        {
            var back = LatestFrameSlot.CreateBackBuffer();
            for (int i = 1; i <= Frames; i++)
            {
                Fill(back, i);
                slot.Publish(ref back);
            }
            back.Dispose();
        });
        producer.Start();
        long last = 0;
        long taken = 0;
        while (producer.IsAlive || slot.HasUnseen)
        {
            if (!slot.TryTake(out var frame)) continue;
            Assert.True(frame.Sequence > last, $"sequence {frame.Sequence} after {last}");
            Assert.Equal(frame.Sequence % 256, frame.Image.At<Vec3b>(0, 0).Item0);
            last = frame.Sequence;
            taken++;
        }
        producer.Join();
        Assert.Equal(Frames, last);
        Assert.Equal(taken, slot.Taken);
        Assert.Equal(Frames, slot.Taken + slot.Dropped);
    }

    [Fact]
    public void Dispose_releases_the_slot_buffers_and_a_late_publish_disposes_its_frame()
    {
        var slot = new LatestFrameSlot("cam");
        var back = LatestFrameSlot.CreateBackBuffer();
        Fill(back, 1);
        slot.Publish(ref back);
        Assert.True(slot.TryTake(out var front));
        Fill(back, 2);
        var published = back;
        slot.Publish(ref back);
        slot.Dispose();
        Assert.True(front.IsDisposed);
        Assert.True(published.IsDisposed);
        Assert.False(back.IsDisposed);

        var late = back;
        Fill(late, 3);
        slot.Publish(ref back);
        Assert.True(late.IsDisposed);
        Assert.NotSame(late, back);
        Assert.False(back.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => slot.TryTake(out _));
        back.Dispose();
    }

    [Fact]
    public void Publish_wakes_a_shared_frame_signal()
    {
        using var signal = new FrameSignal();
        using var a = new LatestFrameSlot("a", signal);
        using var b = new LatestFrameSlot("b", signal);
        Assert.False(signal.Wait(TimeSpan.Zero));
        var back = LatestFrameSlot.CreateBackBuffer();
        Fill(back, 1);
        b.Publish(ref back);
        Assert.True(signal.Wait(TimeSpan.Zero));
        Assert.False(signal.Wait(TimeSpan.Zero));
        back.Dispose();
    }

    [Fact]
    public void Peek_copies_the_newest_frame_without_taking_it()
    {
        using var slot = new LatestFrameSlot("cam");
        using var copy = new CapturedFrame();
        Assert.False(slot.TryPeekCopy(copy));
        var back = LatestFrameSlot.CreateBackBuffer();
        Fill(back, 7);
        slot.Publish(ref back);
        Assert.True(slot.TryPeekCopy(copy));
        Assert.Equal(7, copy.Sequence);
        Assert.Equal(7, copy.Image.At<Vec3b>(0, 0).Item0);
        Assert.True(slot.HasUnseen);
        back.Dispose();
    }
}
