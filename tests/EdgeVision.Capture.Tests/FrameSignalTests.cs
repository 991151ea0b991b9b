namespace EdgeVision.Capture.Tests;

public sealed class FrameSignalTests
{
    [Fact]
    public void Publishes_between_waits_coalesce_into_one_wake()
    {
        using var signal = new FrameSignal();
        for (int i = 0; i < 5; i++) signal.Set();
        Assert.True(signal.Wait(TimeSpan.Zero));
        Assert.False(signal.Wait(TimeSpan.Zero));
        signal.Set();
        Assert.True(signal.Wait(TimeSpan.Zero));
    }

    [Fact]
    public void A_set_from_another_thread_wakes_a_waiting_loop()
    {
        using var signal = new FrameSignal();
        var waiter = Task.Run(() => signal.Wait(TimeSpan.FromSeconds(10)));
        Thread.Sleep(50);
        signal.Set();
        Assert.True(waiter.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(waiter.Result);
    }

    [Fact]
    public void Setting_an_already_set_signal_neither_throws_nor_allocates()
    {
        // A source runs faster than the loop waits: every Set after the first lands on a set signal.
        using var signal = new FrameSignal();
        int firstChance = 0, thread = Environment.CurrentManagedThreadId;
        // Other tests run in parallel in this process: count only this thread's exceptions.
        void Count(object? s, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread) Interlocked.Increment(ref firstChance);
        }
        signal.Set();
        AppDomain.CurrentDomain.FirstChanceException += Count;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            for (int i = 0; i < 1000; i++) signal.Set();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, firstChance);
        Assert.True(allocated < 1000, $"1000 Sets allocated {allocated} bytes");
        Assert.True(signal.Wait(TimeSpan.Zero));
    }
}
