using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Streaming;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// One viewer's live connection (<c>/api/live</c>): binary messages carry JPEG frames tagged by source, text
/// messages carry every hub event as <c>{type}\n{json}</c> (predictions, status, and any other type published), and
/// the client's text messages (<see cref="LiveRequest"/>) say which sources it shows at which width and rate.
/// One writer sends everything, so the socket never has two sends at once; frames come from per-source
/// <see cref="LiveLane"/>s (latest wins, one frame each), events from the same bounded mailbox SSE uses. A
/// connection that cannot take one message within <see cref="HttpOptions.StreamSendTimeoutSeconds"/> is dropped.
/// </summary>
internal sealed class LiveClient
{
    public const string Kind = "live";

    /// <summary>The event a client gets when its request was refused (not "error": EventSource code uses that for the connection).</summary>
    public const string RequestErrorType = "request-error";

    /// <summary>Largest message a client may send (a request for 16 sources is about 1 KB).</summary>
    public const int MaxClientMessageBytes = 4096;

    /// <summary>How often the status document is pushed while events are wanted.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);

    /// <summary>Replies (errors, acknowledgements, catch-up predictions) held for a client that sends but does not read.</summary>
    private const int MaxPendingReplies = 256;

    /// <summary>Events sent per round before the frames get their turn, so a burst of events cannot starve the tiles.</summary>
    private const int EventsPerRound = 32;

    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly StreamHub _hub;
    private readonly IDaemonControl _control;
    private readonly StreamSlots _slots;
    private readonly AccessToken _token;
    private readonly HttpOptions _options;
    private readonly ILogger _logger;
    private readonly DaemonMetrics _metrics;
    private readonly TimeSpan _sendTimeout;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ConcurrentQueue<ServerEvent> _replies = new();
    private readonly Dictionary<string, byte[]> _typePrefixes = new(StringComparer.Ordinal);
    private readonly byte[] _frameHeader = new byte[2 + byte.MaxValue + sizeof(long)];
    private LiveLane[] _lanes = [];
    private volatile bool _eventsWanted = true;
    private byte[]? _pendingStatus;
    private long _framesSent;
    private long _eventsSent;
    private long _sendStarted;

    public LiveClient(WebSocket socket, HttpContext context, StreamHub hub, IDaemonControl control, StreamSlots slots,
        AccessToken token, HttpOptions options, ILogger logger)
    {
        _socket = socket;
        _context = context;
        _hub = hub;
        _control = control;
        _slots = slots;
        _token = token;
        _options = options;
        _logger = logger;
        _metrics = hub.Metrics;
        _sendTimeout = TimeSpan.FromSeconds(options.StreamSendTimeoutSeconds);
    }

    public async Task RunAsync()
    {
        using var subscription = _hub.Subscribe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_context.RequestAborted);
        _metrics.StreamClientOpened(Kind);
        bool dropped = false;
        try
        {
            QueueCatchUp();
            var receive = ReceiveAsync(stop.Token);
            var send = SendLoopAsync(subscription, stop.Token);
            var status = StatusLoopAsync(stop.Token);
            await Task.WhenAny(receive, send).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(Quietly(receive), Quietly(send), Quietly(status)).ConfigureAwait(false);
            // Aborting a timed-out send also ends the pending receive, and either may finish first: judge by the send.
            dropped = send.Exception?.InnerException is SendTimeoutException || SendPendingFor() >= _sendTimeout / 2;
            if (dropped)
            {
                _metrics.StreamClientDropped(Kind);
                _logger.LogInformation("Dropped live client {Remote}: it took no message for {Timeout}s ({Frames} frames, {Events} events sent, {Skipped} frames skipped)",
                    _context.Connection.RemoteIpAddress, _sendTimeout.TotalSeconds, _framesSent, _eventsSent, SkippedTotal());
                _context.Abort();
            }
            else if (_socket.State is WebSocketState.CloseReceived or WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(_sendTimeout);
                await Quietly(_socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, close.Token)).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var lane in Volatile.Read(ref _lanes)) await lane.StopAsync().ConfigureAwait(false);
            _metrics.StreamFramesSkipped(Kind + "_events", subscription.Dropped);
            _metrics.StreamClientClosed(Kind);
            _logger.LogDebug("Live client {Remote} left: {Frames} frames and {Events} events sent, {Skipped} frames skipped, {Dropped} events dropped",
                _context.Connection.RemoteIpAddress, _framesSent, _eventsSent, SkippedTotal(), subscription.Dropped);
        }
    }

    /// <summary>How long the message being sent has been pending; zero between messages.</summary>
    private TimeSpan SendPendingFor()
    {
        long started = Interlocked.Read(ref _sendStarted);
        return started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started);
    }

    private long SkippedTotal() => Volatile.Read(ref _lanes).Sum(l => l.Skipped);

    private void Wake() => _wake.Writer.TryWrite(true);

    // ---- what the client asks for ----

    private async Task ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[MaxClientMessageBytes];
        while (!ct.IsCancellationRequested)
        {
            int length = 0;
            ValueWebSocketReceiveResult result = default;
            do
            {
                if (length == buffer.Length)
                {
                    Reply(RequestErrorType, $"a message may be at most {MaxClientMessageBytes} bytes");
                    await DrainMessageAsync(buffer, ct).ConfigureAwait(false);
                    length = -1;
                    break;
                }
                result = await _socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return;
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (length < 0) continue;
            if (result.MessageType != WebSocketMessageType.Text)
            {
                Reply(RequestErrorType, "send requests as JSON text messages: {\"streams\":[{\"source\":…,\"width\":…,\"fps\":…}],\"events\":true}");
                continue;
            }
            await ApplyAsync(buffer.AsSpan(0, length).ToArray()).ConfigureAwait(false);
        }
    }

    private async Task DrainMessageAsync(byte[] buffer, CancellationToken ct)
    {
        ValueWebSocketReceiveResult result;
        do result = await _socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
    }

    private async Task ApplyAsync(byte[] message)
    {
        var (request, error) = LiveRequest.Parse(message, _options);
        if (request is null)
        {
            Reply(RequestErrorType, error!);
            return;
        }
        foreach (var stream in request.Streams)
        {
            if (StreamEndpoints.UnknownSource(stream.Source, _control, _hub) is { } unknown)
            {
                Reply(RequestErrorType, $"{unknown} (nothing changed)");
                return;
            }
        }
        var old = Volatile.Read(ref _lanes);
        var lanes = new List<LiveLane>();
        foreach (var stream in request.Streams)
        {
            var kept = old.FirstOrDefault(l => l.Request == stream);
            if (kept is null)
            {
                kept = new LiveLane(_hub.GetOrAdd(stream.Source), stream, Wake, skipped => _metrics.StreamFramesSkipped(Kind, skipped));
                kept.Start();
            }
            lanes.Add(kept);
        }
        Volatile.Write(ref _lanes, [.. lanes]);
        foreach (var lane in old.Where(l => !lanes.Contains(l))) await lane.StopAsync().ConfigureAwait(false);

        bool resumed = request.Events && !_eventsWanted;
        _eventsWanted = request.Events;
        if (resumed) QueueCatchUp();
        Reply("subscribed", JsonSerializer.SerializeToUtf8Bytes(new
        {
            streams = request.Streams.Select(s => new { source = s.Source, width = s.Width, fps = s.Fps }),
            events = request.Events,
        }, JsonSerializerOptions.Web));
    }

    /// <summary>A newly connected (or visible again) page shows every source's newest prediction and the status at once.</summary>
    private void QueueCatchUp()
    {
        foreach (var (_, document) in _hub.LatestPredictions()) Reply(new ServerEvent(StreamHub.PredictionEventType, document));
        Volatile.Write(ref _pendingStatus, StatusDocument.Serialize(_control, _hub, _slots, _token));
        Wake();
    }

    private void Reply(string type, string error) =>
        Reply(type, JsonSerializer.SerializeToUtf8Bytes(new { error }, JsonSerializerOptions.Web));

    private void Reply(string type, byte[] json) => Reply(new ServerEvent(type, json));

    private void Reply(ServerEvent e)
    {
        // A client that keeps asking but never reads cannot grow this without bound: it is cut off instead.
        if (_replies.Count >= MaxPendingReplies)
        {
            _logger.LogInformation("Closing live client {Remote}: {Count} replies unread", _context.Connection.RemoteIpAddress, _replies.Count);
            _context.Abort();
            return;
        }
        _replies.Enqueue(e);
        Wake();
    }

    private async Task StatusLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(StatusInterval);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            if (!_eventsWanted) continue;
            Volatile.Write(ref _pendingStatus, StatusDocument.Serialize(_control, _hub, _slots, _token));
            Wake();
        }
    }

    // ---- the one writer ----

    private async Task SendLoopAsync(EventSubscription subscription, CancellationToken ct)
    {
        using var send = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var events = subscription.Events;
        Task<bool>? wakeWait = null, eventWait = null;
        while (!ct.IsCancellationRequested)
        {
            bool sent = false;
            if (Interlocked.Exchange(ref _pendingStatus, null) is { } status && _eventsWanted)
            {
                await SendEventAsync(new ServerEvent("status", status), send, ct).ConfigureAwait(false);
                sent = true;
            }
            while (_replies.TryDequeue(out var reply))
            {
                await SendEventAsync(reply, send, ct).ConfigureAwait(false);
                sent = true;
            }
            for (int i = 0; i < EventsPerRound && events.TryRead(out var e); i++)
            {
                if (!_eventsWanted) continue;
                await SendEventAsync(e, send, ct).ConfigureAwait(false);
                sent = true;
            }
            foreach (var lane in Volatile.Read(ref _lanes))
            {
                if (lane.Take() is not { } frame) continue;
                try
                {
                    await SendFrameAsync(lane, frame, send, ct).ConfigureAwait(false);
                }
                finally
                {
                    frame.Release();
                    lane.FrameSent();
                }
                sent = true;
            }
            if (sent) continue;

            // Nothing to send: sleep until a lane has a frame, a reply or status is queued, or an event arrives.
            while (_wake.Reader.TryRead(out _)) { }
            if (HasWork(events)) continue;
            wakeWait ??= _wake.Reader.WaitToReadAsync(ct).AsTask();
            eventWait ??= events.WaitToReadAsync(ct).AsTask();
            var woke = await Task.WhenAny(wakeWait, eventWait).ConfigureAwait(false);
            await woke.ConfigureAwait(false); // surfaces cancellation
            if (woke == wakeWait) wakeWait = null;
            if (woke == eventWait)
            {
                if (!eventWait.Result) return; // the subscription was completed: the hub is gone
                eventWait = null;
            }
        }
    }

    private bool HasWork(ChannelReader<ServerEvent> events) =>
        Volatile.Read(ref _pendingStatus) is not null || !_replies.IsEmpty || events.Count > 0;

    /// <summary>The header and then the shared JPEG as the message's two WebSocket frames: the JPEG is never copied per client.</summary>
    private async Task SendFrameAsync(LiveLane lane, SharedJpeg frame, CancellationTokenSource send, CancellationToken ct)
    {
        lane.WriteHeader(_frameHeader, frame);
        await SendAsync(_frameHeader.AsMemory(0, lane.HeaderLength), WebSocketMessageType.Binary, send, ct, endOfMessage: false).ConfigureAwait(false);
        await SendAsync(frame.Bytes, WebSocketMessageType.Binary, send, ct).ConfigureAwait(false);
        _framesSent++;
    }

    private async Task SendEventAsync(ServerEvent e, CancellationTokenSource send, CancellationToken ct)
    {
        if (!_typePrefixes.TryGetValue(e.Type, out var prefix))
        {
            prefix = Encoding.ASCII.GetBytes(e.Type + "\n");
            if (_typePrefixes.Count < 64) _typePrefixes[e.Type] = prefix;
        }
        int length = prefix.Length + e.Json.Length;
        byte[] message = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            prefix.CopyTo(message, 0);
            e.Json.CopyTo(message, prefix.Length);
            await SendAsync(message.AsMemory(0, length), WebSocketMessageType.Text, send, ct).ConfigureAwait(false);
            _eventsSent++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationTokenSource send, CancellationToken ct,
        bool endOfMessage = true)
    {
        send.CancelAfter(_sendTimeout);
        long started = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _sendStarted, started);
        try
        {
            await _socket.SendAsync(message, type, endOfMessage, send.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _sendStarted, 0);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException && !ct.IsCancellationRequested &&
                                  Stopwatch.GetElapsedTime(started) >= _sendTimeout / 2)
        {
            // Our send timeout, or Kestrel's minimum data rate if it fired first: either way a message was pending
            // for a long time because the client stopped reading. One that leaves mid-message fails at once.
            throw new SendTimeoutException();
        }
        send.CancelAfter(Timeout.InfiniteTimeSpan);
        _metrics.StreamBytesSent(Kind, message.Length);
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or SendTimeoutException or ObjectDisposedException)
        {
            // The connection ended: the client left, was dropped, or the server is stopping.
        }
    }

    /// <summary>A message was pending for the whole send timeout: the client stopped reading.</summary>
    private sealed class SendTimeoutException : Exception;
}
