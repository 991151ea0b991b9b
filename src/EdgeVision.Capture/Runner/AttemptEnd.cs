namespace EdgeVision.Capture;

/// <summary>How one open-and-read attempt of a <see cref="SourceRunner"/> finished.</summary>
internal readonly record struct AttemptEnd(AttemptEndKind Kind, string? Failure = null)
{
    /// <summary>The attempt's token was cancelled: shutdown, or the supervisor abandoned a stalled read.</summary>
    public static AttemptEnd Stopped { get; } = new(AttemptEndKind.Stopped);

    /// <summary>A finite source (a file played once) reached its end: no reopen.</summary>
    public static AttemptEnd EndOfStream { get; } = new(AttemptEndKind.EndOfStream);

    /// <summary>Opening or reading failed; <paramref name="reason"/> is already redacted.</summary>
    public static AttemptEnd Failed(string reason) => new(AttemptEndKind.Failed, reason);
}

internal enum AttemptEndKind
{
    Stopped,
    EndOfStream,
    Failed,
}
