namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// One event for live viewers: its type (the SSE <c>event:</c> name, e.g. <c>prediction</c>) and its UTF-8 JSON
/// document, serialized once by whoever published it and shared by every subscriber (SSE and WebSocket alike).
/// </summary>
public readonly record struct ServerEvent(string Type, byte[] Json)
{
    /// <summary>Longest event type accepted; types travel in SSE lines and WebSocket message prefixes.</summary>
    public const int MaxTypeLength = 64;

    /// <summary>
    /// Null when <paramref name="type"/> can be sent as is, otherwise why not. Types are lower-case ASCII letters,
    /// digits, '-', '_' and '.', so they can never break an SSE line or the WebSocket's "type\n" prefix.
    /// </summary>
    public static string? TypeError(string? type)
    {
        if (string.IsNullOrEmpty(type)) return "an event type is empty";
        if (type.Length > MaxTypeLength) return $"event type '{type[..MaxTypeLength]}…' is longer than {MaxTypeLength} characters";
        foreach (char c in type)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
                return $"event type '{type}' may only hold a-z, 0-9, '-', '_' and '.'";
        }
        return null;
    }
}
