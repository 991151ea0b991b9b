namespace EdgeVision.Inference;

/// <summary>
/// Counts the engine's live native owners (sessions, batch buffers, bindings) so tests can prove that
/// failed loads and disposed classifiers leave nothing behind.
/// </summary>
internal static class LiveNativeObjects
{
    private static int _count;

    public static int Count => Volatile.Read(ref _count);

    public static void Created() => Interlocked.Increment(ref _count);

    public static void Released() => Interlocked.Decrement(ref _count);
}
