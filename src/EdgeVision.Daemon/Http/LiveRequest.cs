using System.Text.Json;
using EdgeVision.Daemon.Streaming;

namespace EdgeVision.Daemon.Http;

/// <summary>One stream a live client asked for, with the server's caps applied: width 0 is full size.</summary>
public readonly record struct LiveStreamRequest(string Source, int Width, int Fps);

/// <summary>
/// What a live WebSocket client wants now — <c>{"streams":[{"source":"cam0","width":320,"fps":10},…],"events":true}</c> —
/// replacing whatever it asked for before: the page sends one whenever its layout, focus or visibility changes.
/// </summary>
public sealed record LiveRequest(IReadOnlyList<LiveStreamRequest> Streams, bool Events)
{
    /// <summary>Streams one connection may hold: every source of a 16-camera daemon.</summary>
    public const int MaxStreams = 16;

    /// <summary>The request, or null and a reason naming the field that was wrong.</summary>
    public static (LiveRequest? Request, string? Error) Parse(ReadOnlySpan<byte> json, HttpOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            return (null, $"the message is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "the message must be a JSON object: {\"streams\":[…],\"events\":true}");
            bool events = true;
            if (root.TryGetProperty("events", out var eventsElement))
            {
                if (eventsElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return (null, "'events' must be true or false");
                events = eventsElement.GetBoolean();
            }
            if (!root.TryGetProperty("streams", out var streamsElement) || streamsElement.ValueKind != JsonValueKind.Array)
                return (null, "'streams' must be an array of {\"source\":…} (empty for none)");
            if (streamsElement.GetArrayLength() > MaxStreams)
                return (null, $"'streams' has {streamsElement.GetArrayLength()} entries, at most {MaxStreams} are served per connection");
            var streams = new List<LiveStreamRequest>();
            int index = 0;
            foreach (var entry in streamsElement.EnumerateArray())
            {
                var (stream, error) = ParseStream(entry, $"streams[{index}]", options);
                if (error is not null) return (null, error);
                if (streams.Any(s => s.Source == stream.Source)) return (null, $"streams[{index}]: source '{stream.Source}' is asked for twice");
                streams.Add(stream);
                index++;
            }
            return (new LiveRequest(streams, events), null);
        }
    }

    private static (LiveStreamRequest Stream, string? Error) ParseStream(JsonElement entry, string at, HttpOptions options)
    {
        if (entry.ValueKind != JsonValueKind.Object) return (default, $"{at} must be an object with 'source'");
        if (!entry.TryGetProperty("source", out var sourceElement) || sourceElement.ValueKind != JsonValueKind.String ||
            string.IsNullOrEmpty(sourceElement.GetString()))
            return (default, $"{at}.source must be a source name");
        string source = sourceElement.GetString()!;
        int fps = options.MaxStreamFps, width = 0;
        if (entry.TryGetProperty("fps", out var fpsElement))
        {
            if (fpsElement.ValueKind != JsonValueKind.Number || !fpsElement.TryGetInt32(out fps) || fps < 1) return (default, $"{at}.fps must be a positive integer, not {fpsElement.GetRawText()}");
            fps = Math.Min(fps, options.MaxStreamFps);
        }
        if (entry.TryGetProperty("width", out var widthElement))
        {
            if (widthElement.ValueKind != JsonValueKind.Number || !widthElement.TryGetInt32(out width) || width < 0)
                return (default, $"{at}.width must be a whole number of pixels (0: full size), not {widthElement.GetRawText()}");
            if (width > 0) width = ScaledJpegCache.Quantize(Math.Min(width, options.MaxStreamWidth));
        }
        return (new LiveStreamRequest(source, width, fps), null);
    }
}
