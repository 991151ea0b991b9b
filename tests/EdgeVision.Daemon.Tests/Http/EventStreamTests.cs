using System.Net;
using System.Text.Json;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class EventStreamTests
{
    [Fact]
    public async Task Server_sent_events_deliver_one_prediction_per_inference_with_topk_and_latency()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await server.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        producer.Start(fps: 20);

        var events = new List<JsonElement>();
        string? eventName = null;
        while (events.Count < 5)
        {
            string line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line[7..];
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.Equal("prediction", eventName);
                events.Add(JsonDocument.Parse(line[6..]).RootElement.Clone());
            }
        }

        var sequences = events.Select(e => e.GetProperty("sequence").GetInt64()).ToArray();
        Assert.Equal(sequences.OrderBy(s => s), sequences);
        Assert.Equal(sequences.Length, sequences.Distinct().Count());
        var last = events[^1];
        Assert.Equal("cam0", last.GetProperty("source").GetString());
        Assert.Equal("Bag", last.GetProperty("topk")[0].GetProperty("label").GetString());
        Assert.Equal(3, last.GetProperty("topk").GetArrayLength());
        Assert.Equal(3.5, last.GetProperty("inferenceMs").GetDouble());
        Assert.Equal(21.0, last.GetProperty("latencyMs").GetDouble());
        Assert.Equal("Bag", last.GetProperty("groundTruth").GetString());
    }

    [Fact]
    public async Task Event_stream_sends_heartbeat_comments_while_nothing_is_inferred()
    {
        await using var server = await HttpTestServer.StartAsync(new Dictionary<string, string?> { ["Http:EventHeartbeatSeconds"] = "1" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await server.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        string? line;
        do line = await reader.ReadLineAsync(timeout.Token);
        while (line is not null && line != ": heartbeat");

        Assert.Equal(": heartbeat", line);
    }

    [Fact]
    public async Task Predictions_endpoint_returns_the_newest_prediction_of_every_source()
    {
        await using var server = await HttpTestServer.StartAsync(null, "front", "back");
        using var producer = server.CreateProducer();
        producer.PublishNow(4);

        using var response = await server.Client.GetAsync("/api/predictions");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, json.GetProperty("front").GetProperty("sequence").GetInt64());
        Assert.Equal(3, json.GetProperty("back").GetProperty("sequence").GetInt64());
        Assert.Equal("back", json.GetProperty("back").GetProperty("source").GetString());
    }
}
