using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EdgeVision.Daemon.Http;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>The viewer's one WebSocket: frames of every source it asks for, at the size and rate it asks, and every event type.</summary>
public sealed class LiveStreamTests
{
    [Fact]
    public async Task One_connection_carries_full_frames_of_one_source_scaled_frames_of_another_and_predictions()
    {
        await using var server = await HttpTestServer.StartAsync(null, "front", "back");
        using var producer = server.CreateProducer(width: 640, height: 480);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var live = await LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token);
        await live.SendAsync("""{"streams":[{"source":"front"},{"source":"back","width":200,"fps":5}]}""", timeout.Token);
        var ack = await live.ReceiveUntilAsync(m => m.EventType == "subscribed", timeout.Token);
        // The width is rounded down to the scaler's step; no fps means the server's cap.
        Assert.Contains("\"source\":\"back\",\"width\":192,\"fps\":5", ack.Json);
        Assert.Contains("\"source\":\"front\",\"width\":0,\"fps\":30", ack.Json);
        producer.Start(fps: 20);

        var full = await live.ReceiveUntilAsync(m => m.Source == "front", timeout.Token);
        Assert.Contains(producer.Jpegs, jpeg => jpeg.AsSpan().SequenceEqual(full.Jpeg)); // the frame loop's bytes, not re-encoded
        var scaled = await live.ReceiveUntilAsync(m => m.Source == "back", timeout.Token);
        using (var image = Cv2.ImDecode(scaled.Jpeg!, ImreadModes.Color))
        {
            Assert.Equal(192, image.Width);
            Assert.Equal(144, image.Height);
        }
        var prediction = await live.ReceiveUntilAsync(m => m.EventType == "prediction", timeout.Token);
        var json = JsonDocument.Parse(prediction.Json!).RootElement;
        Assert.Equal("Bag", json.GetProperty("topk")[0].GetProperty("label").GetString());
        var status = await live.ReceiveUntilAsync(m => m.EventType == "status", timeout.Token);
        Assert.Equal(2, JsonDocument.Parse(status.Json!).RootElement.GetProperty("sources").GetArrayLength());

        // Two seconds of messages: "back" at its 5 fps cap, "front" at the producer's rate.
        var counts = new Dictionary<string, int> { ["front"] = 0, ["back"] = 0 };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            var message = await live.ReceiveAsync(timeout.Token);
            if (message.IsFrame) counts[message.Source!]++;
        }
        Assert.InRange(counts["back"], 5, 13);
        Assert.True(counts["front"] > counts["back"] * 2, $"front {counts["front"]} frames vs back {counts["back"]} in 2 s");
        Assert.True(server.Metrics.StreamBytesSentTotal(LiveClient.Kind) > 0);
    }

    [Fact]
    public async Task Every_event_type_the_hub_publishes_reaches_the_websocket_and_server_sent_events_alike()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var live = await LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token);
        await live.SendAsync("""{"streams":[]}""", timeout.Token);
        await live.ReceiveUntilAsync(m => m.EventType == "subscribed", timeout.Token);
        using var sse = await server.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var sseReader = new StreamReader(await sse.Content.ReadAsStreamAsync(timeout.Token));
        await WaitForAsync(() => server.Hub.SubscriberCount >= 2);

        server.Hub.PublishEvent("teach-progress", """{"epoch":3,"of":10}"""u8.ToArray());

        var received = await live.ReceiveUntilAsync(m => m.EventType == "teach-progress", timeout.Token);
        Assert.Equal("""{"epoch":3,"of":10}""", received.Json);
        string? line, type = null;
        while ((line = await sseReader.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
            if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
        Assert.Equal("teach-progress", type);
        Assert.Equal("""data: {"epoch":3,"of":10}""", line);

        // A type or document that would break either channel's framing is refused by name.
        Assert.Contains("may only hold", Assert.Throws<ArgumentException>(() => server.Hub.PublishEvent("Bad Type", "{}"u8.ToArray())).Message);
        Assert.Contains("on one line", Assert.Throws<ArgumentException>(() => server.Hub.PublishEvent("teach", "{\n}"u8.ToArray())).Message);
    }

    [Fact]
    public async Task A_bad_request_is_answered_with_the_reason_and_the_connection_keeps_serving()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var live = await LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token);

        async Task<string> RefusalOf(string request)
        {
            await live.SendAsync(request, timeout.Token);
            var refused = await live.ReceiveUntilAsync(m => m.EventType is LiveClient.RequestErrorType or "subscribed", timeout.Token);
            Assert.Equal(LiveClient.RequestErrorType, refused.EventType);
            return JsonDocument.Parse(refused.Json!).RootElement.GetProperty("error").GetString()!;
        }

        Assert.Contains("not JSON", await RefusalOf("{streams"));
        Assert.Contains("'streams' must be an array", await RefusalOf("""{"events":true}"""));
        Assert.Contains("streams[0].fps must be a positive integer", await RefusalOf("""{"streams":[{"source":"cam0","fps":0}]}"""));
        Assert.Contains("streams[0].width must be a whole number", await RefusalOf("""{"streams":[{"source":"cam0","width":"wide"}]}"""));
        Assert.Contains("unknown source 'nope'; known sources: cam0", await RefusalOf("""{"streams":[{"source":"nope"}]}"""));
        Assert.Contains("asked for twice", await RefusalOf("""{"streams":[{"source":"cam0"},{"source":"cam0"}]}"""));
        await live.Socket.SendAsync(new byte[10], WebSocketMessageType.Binary, true, timeout.Token);
        Assert.Contains("JSON text messages", (await live.ReceiveUntilAsync(m => m.EventType == LiveClient.RequestErrorType, timeout.Token)).Json);
        await live.Socket.SendAsync(new byte[LiveClient.MaxClientMessageBytes + 10], WebSocketMessageType.Text, true, timeout.Token);
        Assert.Contains("at most 4096 bytes", (await live.ReceiveUntilAsync(m => m.EventType == LiveClient.RequestErrorType, timeout.Token)).Json);

        await live.SendAsync("""{"streams":[{"source":"cam0"}]}""", timeout.Token);
        producer.Start(fps: 20);
        var frame = await live.ReceiveUntilAsync(m => m.IsFrame, timeout.Token);
        Assert.Equal("cam0", frame.Source);
    }

    [Fact]
    public async Task Asking_for_nothing_sends_nothing()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var live = await LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token);
        await live.SendAsync("""{"streams":[],"events":false}""", timeout.Token);
        await live.ReceiveUntilAsync(m => m.EventType == "subscribed", timeout.Token);
        producer.Start(fps: 20);
        await Task.Delay(300);
        long before = live.BytesReceived;
        long serverBefore = server.Metrics.StreamBytesSentTotal(LiveClient.Kind);

        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2.5)); // longer than the status interval
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => live.ReceiveAsync(quiet.Token));

        Assert.Equal(before, live.BytesReceived);
        Assert.True(producer.Published > 30, "the producer kept publishing meanwhile");
        // Only what was queued before the request took effect may have gone out.
        Assert.True(server.Metrics.StreamBytesSentTotal(LiveClient.Kind) - serverBefore < 4096);
    }

    [Fact]
    public async Task Plain_requests_and_other_origins_are_refused_with_the_reason()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var plain = await server.Client.GetAsync("/api/live");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("speaks WebSocket only", await plain.Content.ReadAsStringAsync());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<WebSocketException>(() => LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token,
            configure: o => { o.SetRequestHeader("Origin", "http://evil.example:8080"); o.CollectHttpResponseDetails = true; }));
        Assert.Contains("403", error.Message);
        using var own = await LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token,
            configure: o => o.SetRequestHeader("Origin", $"http://{server.BaseAddress.Authority}"));
        Assert.Equal(WebSocketState.Open, own.Socket.State);
    }

    [Fact]
    public async Task With_auth_on_the_websocket_needs_the_token_and_takes_the_session_cookie()
    {
        const string token = "live-token-0123456789abcdef";
        await using var server = await HttpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Http:RequireToken"] = "true",
            ["Http:Token"] = token,
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token));
        Assert.Contains("401", refused.Message);

        using var live = await LiveSocket.ConnectAsync(server.BaseAddress, timeout.Token,
            configure: o => o.SetRequestHeader("Cookie", $"{SessionCookie.Name}={token}"));
        await live.SendAsync("""{"streams":[]}""", timeout.Token);
        Assert.Equal("subscribed", (await live.ReceiveUntilAsync(m => m.EventType == "subscribed", timeout.Token)).EventType);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
